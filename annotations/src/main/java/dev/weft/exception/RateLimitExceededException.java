package dev.weft.exception;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code @RateLimited} method was called more often than a limit allows (or, with
 * {@code onRedisFailure = DENY}, while Redis could not decide). Nothing ran and nothing was
 * consumed from any limit. {@link #retryAfter()} says when trying again can succeed: an HTTP layer
 * maps this to {@code 429 Too Many Requests} with a {@code Retry-After} header.
 *
 * <p>A limit being reached is an expected outcome, not a fault, and under a flood it is the common
 * one: such an exception carries no stack trace (filling one in would cost more than the decision
 * itself); its message names the method, the limit and the key. The exception thrown because Redis
 * could not decide carries the stack trace and the Redis failure as its cause.
 */
public class RateLimitExceededException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;
  private final String limit;
  private final long permits;
  private final Duration reset;

  /**
   * @param message what happened, naming the method and the limit
   * @param retryAfter how long until a call can pass, positive, not {@code null}
   * @param limit the limit that fired, as people read it ({@code "10 per PT1S (GCRA) on api:42"})
   */
  public RateLimitExceededException(String message, Duration retryAfter, String limit) {
    this(message, retryAfter, limit, 0, null);
  }

  /**
   * A call refused by a limit, with what HTTP's {@code RateLimit-*} headers report ({@link
   * #headers()}).
   *
   * @param message what happened, naming the method and the limit
   * @param retryAfter how long until a call can pass, positive, not {@code null}
   * @param limit the limit that fired, as people read it ({@code "10 per PT1S (GCRA) on api:42"})
   * @param permits the permits per window of the limit that fired, or 0 if unknown
   * @param reset how long until that limit is full again, or {@code null} if unknown
   */
  public RateLimitExceededException(
      String message, Duration retryAfter, String limit, long permits, Duration reset) {
    super(message, null, false, false);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.limit = Objects.requireNonNull(limit, "limit");
    this.permits = Math.max(0, permits);
    this.reset = reset;
  }

  /**
   * A call refused because the limit could not be decided ({@code onRedisFailure = DENY}); with a
   * stack trace.
   *
   * @param message what happened, naming the method and the limit
   * @param retryAfter how long until a call can pass, positive, not {@code null}
   * @param limit the limit that could not be decided, as people read it
   * @param cause why it could not be decided, not {@code null}
   */
  public RateLimitExceededException(
      String message, Duration retryAfter, String limit, Throwable cause) {
    super(message, Objects.requireNonNull(cause, "cause"));
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.limit = Objects.requireNonNull(limit, "limit");
    this.permits = 0;
    this.reset = null;
  }

  /** @return how long until a call can pass, positive, never {@code null} */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** @return the limit that fired, as people read it, never {@code null} */
  public String limit() {
    return limit;
  }

  /** @return the permits per window of the limit that fired, or 0 if unknown */
  public long permits() {
    return permits;
  }

  /**
   * The refusal as HTTP response headers, as {@code RateLimitDecision.headers()} writes them for
   * a denied decision: {@code RateLimit-Limit} (when the permits are known), {@code
   * RateLimit-Remaining: 0}, {@code RateLimit-Reset} (seconds until the limit is full again,
   * rounded up; the retry-after when unknown) and {@code Retry-After} (seconds, rounded up, at
   * least 1).
   *
   * @return an unmodifiable map in that order, never {@code null}
   */
  public Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    if (permits > 0) {
      headers.put("RateLimit-Limit", Long.toString(permits));
    }
    headers.put("RateLimit-Remaining", "0");
    headers.put("RateLimit-Reset", Long.toString(ceilSeconds(reset != null ? reset : retryAfter)));
    headers.put("Retry-After", Long.toString(Math.max(1, ceilSeconds(retryAfter))));
    return Collections.unmodifiableMap(headers);
  }

  private static long ceilSeconds(Duration d) {
    return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
  }
}
