package example.plain;

import dev.weft.annotation.Cached;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;

/**
 * An application that bundles its own ByteBuddy, another version than the agent's, and uses it.
 * {@code AgentIT} runs it under {@code -javaagent:weft-agent.jar}: the agent's ByteBuddy is
 * relocated, so both must work side by side. Prints {@code key=value} facts.
 */
public class OwnByteBuddyApp {

  private final AtomicInteger calls = new AtomicInteger();

  @Cached(key = "own-bytebuddy:{0}", ttl = "1m")
  public String greeting(String name) {
    calls.incrementAndGet();
    return "hello " + name;
  }

  /**
   * @param args ignored
   * @throws Exception if ByteBuddy fails
   */
  public static void main(String[] args) throws Exception {
    System.out.println("bytebuddy.jar="
        + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Class<?> generated = new ByteBuddy().subclass(Object.class).name("example.plain.Generated")
        .make().load(OwnByteBuddyApp.class.getClassLoader()).getLoaded();
    System.out.println("generated=" + generated.getName());
    OwnByteBuddyApp app = new OwnByteBuddyApp();
    System.out.println("greeting=" + app.greeting("ann") + "," + app.greeting("ann"));
    System.out.println("greeting.calls=" + app.calls.get());
    System.out.println("done=true");
    System.exit(0);
  }
}
