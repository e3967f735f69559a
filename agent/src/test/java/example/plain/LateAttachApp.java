package example.plain;

import com.sun.tools.attach.VirtualMachine;
import dev.weft.annotation.Cached;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application that loads and calls a {@code @Cached} method, then attaches the Weft agent to
 * itself (the path is its first argument): the already loaded class must be woven from then on.
 * Prints {@code key=value} facts; needs {@code -Djdk.attach.allowAttachSelf=true}.
 */
public class LateAttachApp {

  private final AtomicInteger calls = new AtomicInteger();

  @Cached(key = "late:{name}", ttl = "1m")
  public String greet(String name) {
    calls.incrementAndGet();
    return "hello " + name;
  }

  public static void main(String[] args) throws Exception {
    LateAttachApp app = new LateAttachApp();
    app.greet("before");
    app.greet("before");
    System.out.println("before.calls=" + app.calls.get());

    VirtualMachine vm = VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
    try {
      vm.loadAgent(args[0]);
    } finally {
      vm.detach();
    }

    String first = app.greet("after");
    String second = app.greet("after");
    System.out.println("after=" + first + "," + second);
    System.out.println("after.calls=" + (app.calls.get() - 2));
    System.out.println("done=true");
  }
}
