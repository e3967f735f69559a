package dev.weft.aspectj.ratelimit;

import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.annotation.RateLimited;
import dev.weft.annotation.RateLimited.OnLimit;
import dev.weft.annotation.RateLimited.OnRedisFailure;
import java.util.concurrent.atomic.AtomicInteger;

/** Rate-limited methods, woven by ajc (and by the agent when the suite runs under it). */
public class Quotes {

  final AtomicInteger runs = new AtomicInteger();

  /** @return quotes for this JVM's {@link dev.weft.aspectj.Mode} */
  public static Quotes create() {
    return dev.weft.aspectj.Mode.programmatic()
        ? new ProgrammaticQuotes()
        : dev.weft.aspectj.Mode.fixture(new Quotes());
  }

  @RateLimited(key = "quote:{user}", permits = 3, window = "1m")
  public String quote(String user) {
    runs.incrementAndGet();
    return "quote for " + user;
  }

  @RateLimited(key = "both:{user}", permits = 2, window = "1m")
  @RateLimited(
      key = "both:{user}",
      permits = 5,
      window = "1h",
      algorithm = RateLimitAlgorithm.SLIDING_WINDOW_LOG)
  public void both(String user) {
    runs.incrementAndGet();
  }

  @RateLimited(key = "wait:{user}", permits = 2, window = "600ms", onLimit = OnLimit.WAIT, maxWait = "5s")
  public int waiting(String user) {
    return runs.incrementAndGet();
  }

  @RateLimited(permits = 1, window = "1m", algorithm = RateLimitAlgorithm.FIXED_WINDOW)
  public void global() {
    runs.incrementAndGet();
  }

  @RateLimited(key = "allow:{user}", permits = 1, window = "1m")
  public void allowWhenDown(String user) {
    runs.incrementAndGet();
  }

  @RateLimited(key = "deny:{user}", permits = 1, window = "1m", onRedisFailure = OnRedisFailure.DENY)
  public void denyWhenDown(String user) {
    runs.incrementAndGet();
  }

  @RateLimited(key = "mixed:{user}", permits = 1, window = "1m")
  @RateLimited(key = "other:{user}", permits = 5, window = "1h")
  public void mismatchedKeys(String user) {
    runs.incrementAndGet();
  }
}
