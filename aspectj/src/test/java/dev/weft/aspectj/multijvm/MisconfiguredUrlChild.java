package dev.weft.aspectj.multijvm;

import dev.weft.annotation.Cached;
import dev.weft.annotation.DistributedLock;

/**
 * A process whose {@code WEFT_REDIS_URL} cannot be parsed: it makes three woven calls (two
 * {@code @Cached}, one {@code @DistributedLock}) and prints, for each, {@code RAN <method>} when
 * the body ran, then {@code RETURNED} or {@code THREW <class>: <message>}; then {@code DONE}.
 */
public class MisconfiguredUrlChild {

  @Cached(key = "misconfigured:{id}", ttl = "1m")
  public String load(String id) {
    System.out.println("RAN load");
    return "value-of-" + id;
  }

  @DistributedLock(key = "misconfigured:{id}")
  public String locked(String id) {
    System.out.println("RAN locked");
    return id;
  }

  public static void main(String[] args) {
    MisconfiguredUrlChild child = new MisconfiguredUrlChild();
    call(() -> child.load("a"));
    call(() -> child.load("b"));
    call(() -> child.locked("c"));
    System.out.println("DONE");
    System.out.flush();
    System.exit(0);
  }

  private static void call(Runnable call) {
    try {
      call.run();
      System.out.println("RETURNED");
    } catch (RuntimeException e) {
      System.out.println("THREW " + e.getClass().getName() + ": " + e.getMessage());
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        System.out.println("CAUSE " + t);
      }
    }
  }
}
