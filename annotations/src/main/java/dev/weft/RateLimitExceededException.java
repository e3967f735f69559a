package dev.weft;

import java.time.Duration;
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

  /**
   * @param message what happened, naming the method and the limit
   * @param retryAfter how long until a call can pass, positive, not {@code null}
   * @param limit the limit that fired, as people read it ({@code "10 per PT1S (GCRA) on api:42"})
   */
  public RateLimitExceededException(String message, Duration retryAfter, String limit) {
    super(message, null, false, false);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.limit = Objects.requireNonNull(limit, "limit");
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
  }

  /** @return how long until a call can pass, positive, never {@code null} */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** @return the limit that fired, as people read it, never {@code null} */
  public String limit() {
    return limit;
  }
}
