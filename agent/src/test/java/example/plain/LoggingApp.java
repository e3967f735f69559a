package example.plain;

import dev.weft.annotation.Cached;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application that makes Weft log: its {@code @Cached} entry, which the test has overwritten
 * with text that is not JSON, does not read as a {@code String}, and weft-core warns and calls the
 * method. {@link dev.weft.agent.AgentLoggingIT} runs it with and without a logging backend of its
 * own.
 */
public class LoggingApp {

  private static final AtomicInteger calls = new AtomicInteger();

  @Cached(key = "corrupt:{0}", ttl = "1m")
  public String value(String run) {
    calls.incrementAndGet();
    return "fresh " + run;
  }

  public static void main(String[] args) {
    System.out.println("value=" + new LoggingApp().value(args[0]));
    System.out.println("calls=" + calls.get());
    System.out.println("done=true");
    System.exit(0);
  }
}
