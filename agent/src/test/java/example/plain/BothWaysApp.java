package example.plain;

import dev.weft.Weft;
import dev.weft.annotation.Cached;
import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.LockContext;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application that uses Weft both ways: annotations woven by the agent and weft-core's
 * programmatic API, with weft-core and its libraries on its own class path before the agent jar.
 * It prints where each side's Weft classes come from and whether they share one runtime: the
 * fencing token that {@code LockContext} reads inside a woven {@code @DistributedLock} method only
 * exists if the woven code and the application's code use the same {@code LockContext}.
 */
public class BothWaysApp {

  private static final AtomicInteger calls = new AtomicInteger();

  @Cached(key = "both:{0}", ttl = "1m")
  public String cached(String run) {
    calls.incrementAndGet();
    return "cached " + run;
  }

  @DistributedLock(key = "both-lock:{0}", waitTime = "2s")
  public long locked(String run) {
    return LockContext.currentFencingToken();
  }

  public static void main(String[] args) throws Exception {
    String run = args[0];
    BothWaysApp app = new BothWaysApp();
    print("cached", app.cached(run) + "," + app.cached(run));
    print("cached.calls", calls.get());
    print("token.positive", app.locked(run) > 0);
    print("held.outside", LockContext.isHeld());

    Weft weft = Weft.global();
    print("programmatic.cached", weft.cached("both:" + run, Duration.ofMinutes(1), String.class,
        () -> "loaded by the programmatic call"));
    RateLimiter limiter =
        weft.rateLimiter(Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 1, Duration.ofMinutes(1)));
    print("limiter", limiter.tryAcquire("both-limit:" + run).allowed() + ","
        + limiter.tryAcquire("both-limit:" + run).allowed());
    print("weft.location", Weft.class.getProtectionDomain().getCodeSource().getLocation());
    print("woven.location", Class.forName("dev.weft.weaving.Woven")
        .getProtectionDomain().getCodeSource().getLocation());
    print("done", true);
    System.exit(0);
  }

  private static void print(String key, Object value) {
    System.out.println(key + "=" + value);
  }
}
