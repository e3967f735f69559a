package dev.weft.processor;

import java.util.Collection;
import java.util.Optional;

/**
 * Finds the name the user probably meant, for "Did you mean ...?" hints.
 *
 * <p>Distance is the optimal string alignment distance (Levenshtein with adjacent transpositions,
 * Damerau 1964), so {@code idd → id}, {@code nmae → name} and {@code custmer → customer} are one
 * edit each. A candidate is suggested when it differs only in case, or when it is at most a third
 * of its length away (and at least one edit); a name too far from every candidate gets no hint,
 * which is better than a wrong one.
 */
final class Suggestions {

  private Suggestions() {}

  /**
   * @param wrong the name as written, not {@code null}
   * @param candidates the valid names, not {@code null}
   * @return the closest candidate within reach, the first in iteration order on ties; empty when
   *     none is close
   */
  static Optional<String> closest(String wrong, Collection<String> candidates) {
    for (String candidate : candidates) {
      if (candidate.equalsIgnoreCase(wrong)) {
        return Optional.of(candidate);
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(wrong, candidate);
      int reach = Math.max(1, Math.max(wrong.length(), candidate.length()) / 3);
      if (distance <= reach && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Optimal string alignment distance between {@code a} and {@code b}. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          best = Math.min(best, d[i - 2][j - 2] + 1);
        }
        d[i][j] = best;
      }
    }
    return d[a.length()][b.length()];
  }
}
