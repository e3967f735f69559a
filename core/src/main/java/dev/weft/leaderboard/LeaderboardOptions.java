package dev.weft.leaderboard;

import dev.weft.internal.OptionDurations;
import java.time.Duration;
import java.util.Objects;

/**
 * How big a {@link Leaderboard} may grow and how long it lives. Every board has a bound, an
 * expiry, or both, so none grows or lives without limit. Immutable: start from {@link
 * #defaults()}; each setter returns a copy. Durations are taken as {@link Duration} or as the
 * annotations' text ({@code "2d"}).
 *
 * <pre>{@code
 * LeaderboardOptions.defaults();                                   // the best 1000, kept
 * LeaderboardOptions.defaults().expireAfter("2d").keepTop(0);      // a daily board, unbounded
 * LeaderboardOptions.defaults().keepTop(100).expireAfter("8d");    // both
 * }</pre>
 *
 * @param keepTop the most members the board keeps, best first: after each write, every member
 *     ranked below it is removed in the same step; 0 for no bound (then {@code expireAfter} is
 *     required)
 * @param expireAfter how long the board lives after its last write (reads do not extend it);
 *     {@link Duration#ZERO} for no expiry (then {@code keepTop} is required)
 */
public record LeaderboardOptions(int keepTop, Duration expireAfter) {

  /**
   * @throws NullPointerException if {@code expireAfter} is {@code null}
   * @throws IllegalArgumentException if a value is out of range or neither is set
   */
  public LeaderboardOptions {
    Objects.requireNonNull(expireAfter, "expireAfter");
    if (keepTop < 0) {
      throw new IllegalArgumentException(
          "keepTop must be 1 or more, or 0 for no bound, was " + keepTop);
    }
    if (expireAfter.isNegative() || (!expireAfter.isZero() && expireAfter.toMillis() < 1)) {
      throw new IllegalArgumentException(
          "expireAfter must be at least 1 ms, or Duration.ZERO for no expiry, was " + expireAfter);
    }
    if (keepTop == 0 && expireAfter.isZero()) {
      throw new IllegalArgumentException(
          "a leaderboard needs a bound or an expiry so it cannot grow forever: keep"
              + " keepTop(n) at 1 or more, or set expireAfter(duration) before keepTop(0)");
    }
  }

  /** {@link #keepTop} of {@link #defaults()}. */
  public static final int DEFAULT_KEEP_TOP = 1_000;

  private static final LeaderboardOptions DEFAULTS =
      new LeaderboardOptions(DEFAULT_KEEP_TOP, Duration.ZERO);

  /** @return a board that keeps the best {@value #DEFAULT_KEEP_TOP} members and never expires */
  public static LeaderboardOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @param n the most members kept, at least 1; 0 for no bound, once an expiry is set
   * @return a copy with this bound
   */
  public LeaderboardOptions keepTop(int n) {
    return new LeaderboardOptions(n, expireAfter);
  }

  /**
   * @param ttl how long the board lives after its last write, at least 1 ms, or {@link
   *     Duration#ZERO} for no expiry
   * @return a copy with this expiry
   */
  public LeaderboardOptions expireAfter(Duration ttl) {
    return new LeaderboardOptions(keepTop, ttl);
  }

  /**
   * @param ttl the same as duration text, e.g. {@code "8d"}
   * @return a copy with this expiry
   */
  public LeaderboardOptions expireAfter(String ttl) {
    return expireAfter(OptionDurations.parse("LeaderboardOptions.expireAfter", ttl));
  }
}
