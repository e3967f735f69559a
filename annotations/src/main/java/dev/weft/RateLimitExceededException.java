package dev.weft;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@code @RateLimited} method was called more often than a limit allows (or, with
 * {@code onRedisFailure = DENY}, while Redis could not decide). Nothing ran and nothing was
 * consumed from any limit. {@link #retryAfter()} says when trying again can succeed: an HTTP layer
 * maps this to {@code 429 Too Many Requests} with a {@code Retry-After} header.
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
    super(message);
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
