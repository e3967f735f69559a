package dev.weft.ratelimit;

import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.internal.OptionDurations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * One limit: at most {@code permits} per {@code window}, counted by {@code algorithm}. Immutable;
 * a limit has no defaults, so it is made whole by {@link #of}, its window given as {@link
 * Duration} or as the annotations' text ({@code "1s"}).
 *
 * <pre>{@code
 * weft.rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, 10, "1s"), Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 1000, "1h"));
 * }</pre>
 *
 * @param algorithm how requests are counted, not {@code null}
 * @param permits how many permits one window grants, at least 1 (for {@link
 *     RateLimitAlgorithm#TOKEN_BUCKET} and {@link RateLimitAlgorithm#GCRA} also the largest burst)
 * @param window the window's length, not {@code null}, at least 1 ms and whole milliseconds
 *     (Redis's clock is read in milliseconds)
 */
public record Limit(RateLimitAlgorithm algorithm, long permits, Duration window) {

  /**
   * Checks the limit.
   *
   * @throws NullPointerException if {@code algorithm} or {@code window} is {@code null}
   * @throws IllegalArgumentException if {@code permits < 1}, or above {@link
   *     RateLimitAlgorithm#MAX_LOG_PERMITS} for {@link RateLimitAlgorithm#SLIDING_WINDOW_LOG}, or {@code window} is shorter than 1
   *     ms, not whole milliseconds, or too long to count in milliseconds
   */
  public Limit {
    Objects.requireNonNull(algorithm, "algorithm: pass one of " + Arrays.toString(RateLimitAlgorithm.values()));
    Objects.requireNonNull(window, "window: pass a duration of at least 1 ms, such as Duration.ofSeconds(1)");
    if (permits < 1) {
      throw new IllegalArgumentException(
          "permits must be at least 1, got " + permits + " (for " + algorithm + " per " + window + ")");
    }
    if (algorithm == RateLimitAlgorithm.SLIDING_WINDOW_LOG
        && permits > RateLimitAlgorithm.MAX_LOG_PERMITS) {
      throw new IllegalArgumentException(tooManyLogPermits(permits, window));
    }
    if (window.isNegative() || window.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException(
          "window must be at least 1 ms, got " + window + " (for " + permits + " permits)");
    }
    if (window.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "window must be whole milliseconds (Redis's clock is read in ms), got " + window
              + "; round it, e.g. to " + Duration.ofMillis(window.toMillis()));
    }
    try {
      window.toMillis();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("window " + window + " is too long to count in milliseconds", e);
    }
  }

  /**
   * @param algorithm how requests are counted, not {@code null}
   * @param permits how many permits one window grants, at least 1
   * @param window the window's length, at least 1 ms, whole milliseconds, not {@code null}
   * @return the limit, never {@code null}
   * @throws IllegalArgumentException as {@link #Limit(RateLimitAlgorithm, long, Duration)}
   */
  public static Limit of(RateLimitAlgorithm algorithm, long permits, Duration window) {
    return new Limit(algorithm, permits, window);
  }

  /**
   * @param algorithm how requests are counted, not {@code null}
   * @param permits how many permits one window grants, at least 1
   * @param window the window as the annotations' duration text, e.g. {@code "1s"} or {@code "1h"}
   * @return the limit, never {@code null}
   * @throws IllegalArgumentException as {@link #Limit(RateLimitAlgorithm, long, Duration)}, or if
   *     {@code window} is not a duration
   */
  public static Limit of(RateLimitAlgorithm algorithm, long permits, String window) {
    return new Limit(algorithm, permits, OptionDurations.parse("Limit.window", window));
  }

  /**
   * @return why a {@link RateLimitAlgorithm#SLIDING_WINDOW_LOG} limit of {@code permits} is
   *     refused, with the fix
   */
  private static String tooManyLogPermits(long permits, Duration window) {
    return "permits = " + permits + " is above " + RateLimitAlgorithm.MAX_LOG_PERMITS
        + ", the most a"
        + " SLIDING_WINDOW_LOG limit grants per window (for " + permits + " per " + window
        + "): it stores one sorted-set member per permit, so one request could add " + permits
        + " members in one script while Redis serves nobody else; use SLIDING_WINDOW_COUNTER or"
        + " GCRA for large limits, or lower permits to " + RateLimitAlgorithm.MAX_LOG_PERMITS
        + " or less";
  }

  /** @return the window in milliseconds, at least 1 */
  public long windowMillis() {
    return window.toMillis();
  }

  @Override
  public String toString() {
    return permits + " per " + window.toMillis() + " ms (" + algorithm + ")";
  }
}
