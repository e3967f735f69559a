package dev.weft.ratelimit;

import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.Weft;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.ratelimit.RateLimitScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Rate limiting in Redis, shared by every process that uses the same Redis, key and limits.
 *
 * <pre>{@code
 * RateLimiter limiter = weft.rateLimiter(
 *     Limit.of(RateLimitAlgorithm.GCRA, 10, Duration.ofSeconds(1)),
 *     Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 1000, Duration.ofHours(1)));
 * RateLimitDecision d = limiter.tryAcquire("user:" + userId);
 * if (!d.allowed()) {
 *   d.headers().forEach(response::setHeader);   // 429 with Retry-After
 * }
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * Each decision is one call of one Lua script ({@code ratelimit_decide.lua}) that receives every
 * limit's key as KEYS, reads Redis's clock ({@code TIME}), checks every limit and, only if all of
 * them allow, takes the permits from all of them. A request denied by one limit therefore takes
 * nothing from the others, and concurrent callers in any number of processes never see a
 * half-applied decision. The client's clock is never used.
 *
 * <p>Keys are {@code weft:rl:{<user key>}:<algorithm>:<permits>/<window ms>} (behind the runtime's
 * {@linkplain Weft.Builder#keyPrefix key prefix}), one per limit and
 * nothing else (window-based algorithms keep the window's number in the key's hash); the user key
 * is the hash tag, so
 * all limits of a request share a Redis Cluster slot. {@code %}, {@code {} and {@code }} in the
 * user key are escaped as {@code %25}, {@code %7B} and {@code %7D}, so a user key cannot break
 * out of the hash tag and two different user keys never share a limiter. Every key written has a
 * TTL, set so that it expires once forgetting it changes nothing: idle limiters vanish.
 *
 * <p>Two limiters with equal limits and the same user key share their state, across processes.
 *
 * <h2>Failures</h2>
 *
 * A decision is never applied twice: while disconnected, the gateway rejects commands instead of
 * queueing them for replay after a reconnect, so a call that failed is not silently applied later.
 * (A call that timed out after reaching Redis may or may not have taken its permits; it is
 * reported as a failure, never as an allowance, and is not retried.) It has no failure policy of
 * its own: whether to allow or deny while Redis fails is the caller's choice (the annotation layer
 * offers both). When Redis cannot decide, unreachable or slow or answering that it cannot serve
 * the call ({@code OOM} at {@code maxmemory}, {@code READONLY}, {@code NOPERM}, {@code NOAUTH},
 * ...), this class throws {@link dev.weft.exception.WeftUnavailableException}, and the runtime has
 * logged the cause and its fix; an error reply (such as {@code WRONGTYPE} on a limiter's key) is
 * Lettuce's exception, a defect, not a reason to allow.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RateLimiter {

  private final List<Limit> limits;
  private final long smallestPermits;
  private final RateLimitScript script;

  private RateLimiter(List<Limit> limits, RateLimitScript script) {
    this.limits = limits;
    this.smallestPermits = limits.stream().mapToLong(Limit::permits).min().orElseThrow();
    this.script = script;
  }

  static {
    PatternFactories.register(
        RateLimiter.class,
        (weft, limits, b, c, d) -> of(weft, (Limit[]) limits));
  }

  /**
   * A limiter that allows a request only if every one of {@code limits} allows it.
   *
   * @param weft the runtime whose Redis holds the state, not {@code null}
   * @param limits one or more distinct limits, none {@code null}; the order is kept (a {@link
   *     RateLimitDecision} names the limit that fired)
   * @return the limiter, never {@code null}; nothing is sent to Redis yet
   * @throws NullPointerException if {@code weft}, {@code limits} or one of them is {@code null}
   * @throws IllegalArgumentException if {@code limits} is empty or holds the same limit twice
   */
  static RateLimiter of(Weft weft, Limit... limits) {
    Objects.requireNonNull(weft, "weft");
    Objects.requireNonNull(limits, "limits");
    if (limits.length == 0) {
      throw new IllegalArgumentException(
          "a rate limiter needs at least one limit, such as Limit.of(RateLimitAlgorithm.GCRA, 10,"
              + " Duration.ofSeconds(1))");
    }
    List<Limit> list = new ArrayList<>(limits.length);
    Set<Limit> seen = new HashSet<>();
    for (int i = 0; i < limits.length; i++) {
      Limit limit = Objects.requireNonNull(limits[i], () -> "limits contains null");
      if (!seen.add(limit)) {
        throw new IllegalArgumentException(
            "limit " + limit + " is given twice; each limit may appear once (they would share"
                + " one key and count every request twice)");
      }
      list.add(limit);
    }
    List<Limit> fixed = List.copyOf(list);
    return new RateLimiter(fixed, new RateLimitScript(WeftAccess.redis(weft), fixed));
  }

  /**
   * Asks for one permit. Same as {@code tryAcquire(key, 1)}.
   *
   * @param key what is limited (a user id, an IP, an API key...), not {@code null}, not empty;
   *     any characters
   * @return the decision, never {@code null}
   * @throws NullPointerException if {@code key} is {@code null}
   * @throws IllegalArgumentException if {@code key} is empty
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow; nothing
   *     is retried (an error reply from Redis, a defect, is Lettuce's exception)
   */
  public RateLimitDecision tryAcquire(String key) {
    return tryAcquire(key, 1);
  }

  /**
   * Asks for {@code permits} permits at once: granted (from every limit) or not at all. Never
   * blocks beyond the Redis command timeout.
   *
   * @param key what is limited, not {@code null}, not empty; any characters
   * @param permits how many, from 1 to the smallest limit's permits
   * @return the decision, never {@code null}
   * @throws NullPointerException if {@code key} is {@code null}
   * @throws IllegalArgumentException if {@code key} is empty, {@code permits < 1}, or {@code
   *     permits} exceeds a limit's permits (such a request could never be granted)
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   *    (an error reply from Redis, a defect, is Lettuce's exception); nothing is retried
   */
  public RateLimitDecision tryAcquire(String key, long permits) {
    Objects.requireNonNull(key, "key");
    if (permits < 1 || permits > smallestPermits) {
      throw new IllegalArgumentException(
          "permits must be between 1 and " + smallestPermits + " (the smallest limit of " + limits
              + "), got " + permits);
    }
    return script.decide(key, permits);
  }

  /**
   * Asks for one permit, waiting for it up to {@code maxWait}: while denied, sleeps for the
   * decision's retry-after (computed by Redis on its clock, so waiting callers do not ask faster
   * than a permit can appear) and asks again. What {@code @RateLimited(onLimit = WAIT)} does.
   *
   * @param key what is limited, not {@code null}, not empty; any characters
   * @param maxWait the longest wait, zero or positive; a denial whose retry-after would end later
   *     is returned at once
   * @return the granting decision, or the last denial if the permit could not come within {@code
   *     maxWait}
   * @throws InterruptedException if the thread is interrupted while waiting (nothing was taken)
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   *    (an error reply from Redis, a defect, is Lettuce's exception)
   */
  public RateLimitDecision acquire(String key, Duration maxWait) throws InterruptedException {
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative, was " + maxWait);
    }
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      RateLimitDecision decision = tryAcquire(key, 1);
      long retry = decision.retryAfter().toNanos();
      if (decision.allowed() || retry > deadline - System.nanoTime()) {
        return decision;
      }
      TimeUnit.NANOSECONDS.sleep(retry);
    }
  }

  /** @return the limits, in the order given, never {@code null}, unmodifiable */
  public List<Limit> limits() {
    return limits;
  }

  @Override
  public String toString() {
    return "RateLimiter" + limits;
  }
}
