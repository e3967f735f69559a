package dev.weft.internal;

import dev.weft.internal.plan.Durations;
import java.time.Duration;

/**
 * Reads the duration text that the options of the programmatic API accept next to {@link
 * Duration}: the annotations' syntax ({@code "500ms"}, {@code "30s"}, {@code "10m"}, {@code
 * "PT10M"}, {@code "${property:default}"}).
 */
public final class OptionDurations {

  private OptionDurations() {}

  /**
   * @param option the option, as {@code "CacheOptions.ttl"}, named in the error
   * @param text the duration text, not {@code null}; empty means zero
   * @return the duration, zero or positive; whether zero is allowed is the option's own check
   * @throws IllegalArgumentException naming the option, what is wrong and what would be right
   */
  public static Duration parse(String option, String text) {
    if (text == null) {
      throw new NullPointerException(option + ": pass a duration such as \"30s\"");
    }
    try {
      return Durations.zeroOrMore(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + "(\"" + text + "\"): " + e.getMessage() + ", or pass a java.time.Duration", e);
    }
  }
}
