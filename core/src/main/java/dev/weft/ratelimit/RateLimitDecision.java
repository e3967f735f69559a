package dev.weft.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link RateLimiter} decided for one request. When several limits apply, the decision
 * reports one of them: the one that denied the request (the one asking for the longest wait), or,
 * when allowed, the tightest (fewest permits left).
 *
 * @param allowed whether the request was granted; if so, its permits were taken from every limit
 * @param remaining permits {@code limit} still grants right now (after this request, if allowed),
 *     at least 0
 * @param retryAfter {@link Duration#ZERO} if allowed; otherwise how long until this request would
 *     be allowed by every limit, if nobody else takes permits meanwhile; not {@code null}, never
 *     negative, millisecond precision
 * @param reset how long until {@code limit} is full again, if nobody takes permits meanwhile; not
 *     {@code null}, never negative, millisecond precision
 * @param limit the limit that fired, or when allowed the tightest; not {@code null}
 * @param decidedAt when Redis decided, on Redis's clock (the only clock the decision used); not
 *     {@code null}
 */
public record RateLimitDecision(
    boolean allowed,
    long remaining,
    Duration retryAfter,
    Duration reset,
    Limit limit,
    Instant decidedAt) {

  /** Header with the reported limit's permits per window. */
  public static final String LIMIT_HEADER = "RateLimit-Limit";

  /** Header with the permits left. */
  public static final String REMAINING_HEADER = "RateLimit-Remaining";

  /** Header with the seconds (rounded up) until the limit is full again. */
  public static final String RESET_HEADER = "RateLimit-Reset";

  /** Header with the seconds (rounded up) to wait, sent only on denial (RFC 9110, 10.2.3). */
  public static final String RETRY_AFTER_HEADER = "Retry-After";

  /**
   * Checks the decision.
   *
   * @throws NullPointerException if {@code retryAfter}, {@code reset} or {@code limit} is {@code
   *     null}
   * @throws IllegalArgumentException if {@code remaining} or a duration is negative, or an allowed
   *     decision carries a non-zero {@code retryAfter}
   */
  public RateLimitDecision {
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(reset, "reset");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(decidedAt, "decidedAt");
    if (remaining < 0) {
      throw new IllegalArgumentException("remaining must be at least 0, got " + remaining);
    }
    if (retryAfter.isNegative() || reset.isNegative()) {
      throw new IllegalArgumentException(
          "retryAfter and reset must not be negative, got " + retryAfter + " and " + reset);
    }
    if (allowed && !retryAfter.isZero()) {
      throw new IllegalArgumentException("an allowed decision has no retryAfter, got " + retryAfter);
    }
  }

  /**
   * The decision as HTTP response headers, in the form of the IETF HTTPAPI draft "RateLimit header
   * fields for HTTP" (delta seconds): {@value #LIMIT_HEADER}, {@value #REMAINING_HEADER}, {@value
   * #RESET_HEADER} (seconds, rounded up), and, only when denied, {@value #RETRY_AFTER_HEADER}
   * (seconds, rounded up, at least 1).
   *
   * @return an unmodifiable map in that order, never {@code null}
   */
  public Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(LIMIT_HEADER, Long.toString(limit.permits()));
    headers.put(REMAINING_HEADER, Long.toString(remaining));
    headers.put(RESET_HEADER, Long.toString(ceilSeconds(reset)));
    if (!allowed) {
      headers.put(RETRY_AFTER_HEADER, Long.toString(Math.max(1, ceilSeconds(retryAfter))));
    }
    return Collections.unmodifiableMap(headers);
  }

  private static long ceilSeconds(Duration d) {
    return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
  }
}
