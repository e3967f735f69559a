package dev.weft.leaderboard;

import java.util.Objects;

/**
 * One member's place on a {@link Leaderboard}, as read at one moment.
 *
 * @param member the member, never {@code null}
 * @param score its score, finite
 * @param rank its position, 1 for the best; among equal scores, member names in ascending order
 *     of their UTF-8 bytes come first
 */
public record LeaderboardEntry(String member, double score, long rank) {

  /**
   * @throws NullPointerException if {@code member} is {@code null}
   * @throws IllegalArgumentException if {@code rank < 1}
   */
  public LeaderboardEntry {
    Objects.requireNonNull(member, "member");
    if (rank < 1) {
      throw new IllegalArgumentException("rank is 1-based, was " + rank);
    }
  }
}
