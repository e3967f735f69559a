package dev.weft.internal.cache;

import dev.weft.internal.redis.RedisUnavailableException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs Redis failures of one method at most once per interval, with a count of the ones it held
 * back, so that an outage produces a readable log rather than one line per call.
 *
 * <p>Outages ({@link RedisUnavailableException}) are logged by the gateway, once per outage for
 * the whole runtime, so here they are DEBUG only; what this class warns about are error replies
 * (a wrong type, a failing script), which point at one method's data or at a bug.
 */
public final class FailureLog {

  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Logger log;
  private final String method;
  private final AtomicLong nextWarnAt = new AtomicLong(System.nanoTime());
  private final AtomicLong suppressed = new AtomicLong();

  public FailureLog(Logger log, String method) {
    this.log = log;
    this.method = method;
  }

  public void redisFailed(String action, String key, RuntimeException e) {
    if (e instanceof RedisUnavailableException) {
      log.debug("{}: could not {} cache entry '{}': {}", method, action, key, e.getMessage());
      return;
    }
    long now = System.nanoTime();
    long next = nextWarnAt.get();
    if (now - next >= 0 && nextWarnAt.compareAndSet(next, now + INTERVAL_NANOS)) {
      long held = suppressed.getAndSet(0);
      log.warn(
          "{}: could not {} cache entry '{}' ({}); calling the method through{}",
          method, action, key, e.toString(),
          held > 0 ? " (" + held + " similar failures since the last warning)" : "");
    } else {
      suppressed.incrementAndGet();
      log.debug("{}: could not {} cache entry '{}'", method, action, key, e);
    }
  }
}
