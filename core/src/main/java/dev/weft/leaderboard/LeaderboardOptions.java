package dev.weft.leaderboard;

import java.time.Duration;
import java.util.Objects;

/**
 * How big a {@link Leaderboard} may grow and how long it lives. Every board has a bound, an
 * expiry, or both, so none grows or lives without limit. Immutable.
 *
 * <pre>{@code
 * LeaderboardOptions.keepTop(1_000);                                       // the best 1000, kept
 * LeaderboardOptions.expireAfter(Duration.ofDays(2));                      // a daily board
 * LeaderboardOptions.keepTop(100).withExpiry(Duration.ofDays(8));          // both
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
          "a leaderboard needs a bound or an expiry so it cannot grow forever: use"
              + " LeaderboardOptions.keepTop(n), LeaderboardOptions.expireAfter(duration), or"
              + " both");
    }
  }

  /**
   * @param n the most members kept, at least 1
   * @return a bounded board that never expires
   */
  public static LeaderboardOptions keepTop(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("keepTop must be at least 1, was " + n);
    }
    return new LeaderboardOptions(n, Duration.ZERO);
  }

  /**
   * @param ttl how long the board lives after its last write, at least 1 ms
   * @return an unbounded board that expires
   */
  public static LeaderboardOptions expireAfter(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isZero()) {
      throw new IllegalArgumentException(
          "expireAfter must be at least 1 ms; for a board that never expires use keepTop(n)");
    }
    return new LeaderboardOptions(0, ttl);
  }

  /**
   * @param ttl how long the board lives after its last write, at least 1 ms, or {@link
   *     Duration#ZERO} for no expiry
   * @return a copy with this expiry
   */
  public LeaderboardOptions withExpiry(Duration ttl) {
    return new LeaderboardOptions(keepTop, ttl);
  }
}
