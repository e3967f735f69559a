package dev.weft.internal.ratelimit;

import dev.weft.annotation.RateLimited.OnLimit;
import dev.weft.annotation.RateLimited.OnRedisFailure;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.internal.plan.Invocation;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.plan.Step;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.RedisUnavailableException;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimitDecision;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code @RateLimited} annotations of one method: all its limits, decided together for the
 * call's key in one script, before anything else of the method's plan runs.
 *
 * <h2>Design</h2>
 *
 * A denied call consumes nothing and either throws at once ({@code THROW}) or sleeps for the
 * decision's retry-after and asks again, until {@code maxWait} would be exceeded ({@code WAIT});
 * the wait is computed by Redis on its own clock, so waiting callers do not poll faster than a
 * permit can appear. When Redis cannot decide, {@code ALLOW} lets the call run and {@code DENY}
 * refuses it; the gateway never replays a decision after a reconnect (it rejects commands while
 * disconnected), so a permit is consumed at most once per call.
 *
 * <p>"Cannot decide" is every outage-like failure the gateway reports as {@link
 * RedisUnavailableException}: Redis unreachable or slow, and the replies of a server that cannot
 * serve the call, {@code OOM} at {@code maxmemory}, {@code READONLY} after a failover, {@code
 * NOPERM}, {@code NOAUTH} and the like. The gateway logs each at WARN with its fix, once per
 * outage, so an allowed call is never allowed silently, and this step logs it at DEBUG only. A
 * defect ({@code WRONGTYPE} on a limiter's key, a failing script) is not a reason to allow: it
 * reaches the caller as the {@link RedisException} it is.
 */
public final class RateLimitStep implements Step {

  private static final Logger log = LoggerFactory.getLogger(RateLimitStep.class);
  private static final Duration RETRY_WHEN_DOWN = Duration.ofSeconds(1);

  private final String method;
  private final KeyTemplate key;
  private final List<Limit> limits;
  private final OnLimit onLimit;
  private final Duration maxWait;
  private final OnRedisFailure onFailure;
  private final String description;
  private volatile RateLimitScript script;

  /**
   * @param method the method as people read it
   * @param key the key template, or {@code null} for one limit shared by all callers
   * @param limits the limits, at least one
   * @param onLimit what a denied call does
   * @param maxWait with {@link OnLimit#WAIT}, the longest wait; otherwise ignored
   * @param onFailure what a call does when Redis cannot decide
   */
  public RateLimitStep(
      String method, KeyTemplate key, List<Limit> limits, OnLimit onLimit, Duration maxWait,
      OnRedisFailure onFailure) {
    this.method = method;
    this.key = key;
    this.limits = List.copyOf(limits);
    this.onLimit = onLimit;
    this.maxWait = maxWait;
    this.onFailure = onFailure;
    this.description = this.limits.toString();
  }

  /** Takes the call's permits from the runtime's limits, or throws (see {@link #acquire}). */
  @Override
  public Object before(Invocation call) {
    acquire(call.cache().redis(), call.args());
    return null;
  }

  /** @return {@code result}: a permit is spent whatever the call does */
  @Override
  public Object after(Invocation call, Object state, Object result, Throwable thrown) {
    return result;
  }

  /**
   * Takes one permit from every limit for this call's key, or throws.
   *
   * @param redis the runtime's gateway
   * @param args the call's arguments
   * @throws RateLimitExceededException if a limit is reached (after waiting, with WAIT), or Redis
   *     cannot decide and the policy is DENY
   * @throws RedisException if Redis answered an error that is a defect, such as {@code WRONGTYPE}
   */
  public void acquire(RedisGateway redis, Object[] args) {
    String userKey = KeyTemplate.renderOr(key, args, method);
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      RateLimitDecision decision;
      try {
        decision = script(redis).decide(userKey, 1);
      } catch (RedisUnavailableException e) {
        if (onFailure == OnRedisFailure.ALLOW) {
          log.debug("{}: Redis cannot decide the rate limit of '{}' ({}); allowing",
              method, userKey, e.kind().tag(), e);
          return;
        }
        throw new RateLimitExceededException(
            "@RateLimited on " + method + ": Redis cannot decide the limit of '" + userKey
                + "' (" + e.getMessage() + ") and onRedisFailure = DENY",
            RETRY_WHEN_DOWN,
            description + " on " + userKey,
            e);
      }
      if (decision.allowed()) {
        return;
      }
      Duration retryAfter = decision.retryAfter();
      String fired = decision.limit() + " on " + userKey;
      long left = deadline - System.nanoTime();
      if (onLimit == OnLimit.THROW || retryAfter.toNanos() > left) {
        throw new RateLimitExceededException(
            "@RateLimited on " + method + ": " + fired + " is reached; retry after " + retryAfter
                + (onLimit == OnLimit.WAIT ? " (longer than the " + maxWait + " maxWait)" : ""),
            retryAfter,
            fired,
            decision.limit().permits(),
            decision.reset());
      }
      try {
        TimeUnit.NANOSECONDS.sleep(retryAfter.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RateLimitExceededException(
            "@RateLimited on " + method + ": interrupted while waiting for " + fired,
            retryAfter,
            fired,
            decision.limit().permits(),
            decision.reset());
      }
    }
  }

  private RateLimitScript script(RedisGateway redis) {
    RateLimitScript s = script;
    if (s == null || !s.uses(redis)) {
      s = new RateLimitScript(redis, limits);
      script = s;
    }
    return s;
  }
}
