package dev.weft.internal.plan;

import dev.weft.syntax.DurationSyntax;
import dev.weft.syntax.PropertyReference;
import dev.weft.weaving.AnnotationProperties;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Durations of annotation attributes, resolved once when a plan is built: a literal duration
 * ({@code "10m"}) or a configuration property with an optional default
 * ({@code "${weft.ttl.users:10m}"}).
 *
 * <p>A property is looked up in the lookup an adapter installed ({@link AnnotationProperties},
 * such as the Spring Boot starter's, backed by Spring's {@code Environment}), then as a system
 * property, then as an environment variable named by upper-casing it and turning {@code .} and
 * {@code -} into {@code _} ({@code WEFT_TTL_USERS}). Every {@code ${...}} of weft-core is
 * resolved here. The grammar is {@link PropertyReference}'s, which weft-processor checks at
 * compile time.
 */
public final class Durations {

  private Durations() {}

  /**
   * @param text the attribute's value, not {@code null}
   * @return the positive duration it names
   * @throws IllegalArgumentException saying what is wrong and what is accepted
   */
  public static Duration positive(String text) {
    return resolve(text, AnnotationProperties.installed(), System::getProperty, System.getenv(),
        DurationSyntax::parsePositive);
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
        : resolve(text, AnnotationProperties.installed(), System::getProperty, System.getenv(),
            Durations::nonNegative);
  }

  static Duration positive(
      String text, Function<String, String> systemProperties, Map<String, String> env) {
    return resolve(text, null, systemProperties, env, DurationSyntax::parsePositive);
  }

  private static Duration nonNegative(String text) {
    Duration d = DurationSyntax.parse(text);
    if (d.isNegative()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" must not be negative; use \"0s\" or " + DurationSyntax.ACCEPTED_FORMS);
    }
    return d;
  }

  /**
   * @param installed the adapter's lookup ({@link AnnotationProperties}), asked first, or {@code
   *     null}
   */
  private static Duration resolve(
      String text, Function<String, String> installed, Function<String, String> systemProperties,
      Map<String, String> env, Function<String, Duration> parser) {
    if (!PropertyReference.isReference(text)) {
      return parser.apply(text);
    }
    PropertyReference reference = PropertyReference.parse(text);
    String name = reference.name();
    String value = null;
    if (installed != null) {
      try {
        value = installed.apply(name);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "the property '" + name + "' could not be looked up in the application's"
                + " configuration: " + e, e);
      }
    }
    if (value == null) {
      value = systemProperties.apply(name);
    }
    if (value == null) {
      value = env.get(reference.environmentName());
    }
    if (value == null) {
      value = reference.defaultValue();
    }
    if (value == null) {
      throw new IllegalArgumentException(
          "the property '" + name + "' is not set ("
              + (installed != null ? "in the application's configuration, " : "")
              + "as a system property or as the environment variable "
              + reference.environmentName() + ") and \"" + text + "\" gives no default; set it"
              + " or write ${" + name + ":10m}");
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the property '" + name + "': " + e.getMessage(), e);
    }
  }
}
