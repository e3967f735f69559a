package dev.weft.internal.plan;

import dev.weft.internal.syntax.DurationSyntax;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations of annotation attributes, resolved once when a plan is built: a literal duration
 * ({@code "10m"}) or a configuration property with an optional default
 * ({@code "${weft.ttl.users:10m}"}).
 *
 * <p>A property is looked up as a system property, then as an environment variable named by
 * upper-casing it and turning {@code .} and {@code -} into {@code _} ({@code WEFT_TTL_USERS}).
 * The grammar is {@code ${name}} or {@code ${name:default}}, where the name is letters, digits,
 * {@code .}, {@code _} and {@code -}; weft-processor checks the same grammar at compile time.
 */
public final class Durations {

  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([A-Za-z0-9._-]+)(?::([^}]*))?}");

  private Durations() {}

  /**
   * @param text the attribute's value, not {@code null}
   * @return the positive duration it names
   * @throws IllegalArgumentException saying what is wrong and what is accepted
   */
  public static Duration positive(String text) {
    return positive(text, System::getProperty, System.getenv());
  }

  /**
   * @param text the attribute's value, possibly empty
   * @return the positive duration, or {@link Duration#ZERO} when {@code text} is empty
   */
  public static Duration optional(String text) {
    return text.isBlank() ? Duration.ZERO : positive(text);
  }

  /**
   * For attributes where zero means "none" or "at once" ({@code waitTime}, {@code holdAtLeast}).
   *
   * @param text the attribute's value, possibly empty
   * @return the duration, zero or positive; {@link Duration#ZERO} when {@code text} is empty
   * @throws IllegalArgumentException if unparsable or negative
   */
  public static Duration zeroOrMore(String text) {
    return text.isBlank()
        ? Duration.ZERO
        : resolve(text, System::getProperty, System.getenv(), Durations::nonNegative);
  }

  static Duration positive(
      String text, Function<String, String> systemProperties, Map<String, String> env) {
    return resolve(text, systemProperties, env, DurationSyntax::parsePositive);
  }

  private static Duration nonNegative(String text) {
    Duration d = DurationSyntax.parse(text);
    if (d.isNegative()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" must not be negative; use \"0s\" or " + DurationSyntax.ACCEPTED_FORMS);
    }
    return d;
  }

  private static Duration resolve(
      String text, Function<String, String> systemProperties, Map<String, String> env,
      Function<String, Duration> parser) {
    Matcher m = PROPERTY.matcher(text.trim());
    if (!m.matches()) {
      if (text.contains("${")) {
        throw new IllegalArgumentException(
            "\"" + text + "\" is not a property reference; write ${name} or ${name:default},"
                + " as in ${weft.ttl.users:10m}");
      }
      return parser.apply(text);
    }
    String name = m.group(1);
    String value = systemProperties.apply(name);
    if (value == null) {
      value = env.get(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    if (value == null) {
      value = m.group(2);
    }
    if (value == null) {
      throw new IllegalArgumentException(
          "the property '" + name + "' is not set (as a system property or as the environment"
              + " variable " + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')
              + ") and \"" + text + "\" gives no default; set it or write ${" + name + ":10m}");
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the property '" + name + "': " + e.getMessage(), e);
    }
  }
}
