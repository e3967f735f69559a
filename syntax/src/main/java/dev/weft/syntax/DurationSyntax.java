package dev.weft.syntax;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration strings that Weft annotations take: a whole number followed by a unit
 * ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 1d}) or an ISO-8601 duration
 * ({@code PT10M}, {@code P1D}).
 *
 * <p>The runtime and the annotation processor both parse durations with this class, so the compiler
 * accepts exactly the strings that the runtime accepts.
 */
public final class DurationSyntax {

  /** The accepted forms, for error messages. */
  public static final String ACCEPTED_FORMS =
      "a whole number with a unit (\"500ms\", \"30s\", \"10m\", \"1h\", \"1d\") or ISO-8601 (\"PT10M\")";

  private static final Pattern SHORT = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

  private DurationSyntax() {}

  /**
   * Parses {@code text} into a duration.
   *
   * @param text the duration string, not {@code null}
   * @return the parsed duration, never {@code null}; may be zero or negative for ISO input, which
   *     callers that need a positive value must check
   * @throws IllegalArgumentException if {@code text} is in none of the accepted forms; the message
   *     quotes the text and lists the accepted forms
   */
  public static Duration parse(String text) {
    String trimmed = text.trim();
    Matcher m = SHORT.matcher(trimmed);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      try {
        switch (m.group(2)) {
          case "ms":
            return Duration.ofMillis(amount);
          case "s":
            return Duration.ofSeconds(amount);
          case "m":
            return Duration.ofMinutes(amount);
          case "h":
            return Duration.ofHours(amount);
          default:
            return Duration.ofDays(amount);
        }
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("\"" + text + "\" is too long a duration", e);
      }
    }
    if (trimmed.length() > 1 && (trimmed.charAt(0) == 'P' || trimmed.charAt(0) == 'p')) {
      try {
        return Duration.parse(trimmed);
      } catch (DateTimeParseException e) {
        // fall through to the common message
      }
    }
    throw new IllegalArgumentException(
        "\"" + text + "\" is not a duration; use " + ACCEPTED_FORMS);
  }

  /**
   * Parses {@code text} and requires a strictly positive result.
   *
   * @param text the duration string, not {@code null}
   * @return the parsed duration, greater than zero
   * @throws IllegalArgumentException if unparsable, zero or negative
   */
  public static Duration parsePositive(String text) {
    Duration d = parse(text);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" must be greater than zero; use " + ACCEPTED_FORMS);
    }
    return d;
  }
}
