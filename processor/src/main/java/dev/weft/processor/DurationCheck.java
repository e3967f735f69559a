package dev.weft.processor;

import dev.weft.internal.syntax.DurationSyntax;
import java.time.Duration;
import java.util.Map;

/**
 * Checks duration attributes ({@code ttl}, {@code jitter}, {@code staleWhileRevalidate}, {@code
 * loadTimeout}, and {@code window} and {@code maxWait} of {@code @RateLimited}) as weft-core's
 * {@code Durations} reads them, with the same {@link DurationSyntax}:
 *
 * <ul>
 *   <li>an optional attribute ({@code jitter}, {@code staleWhileRevalidate}) that is empty or
 *       blank means none;
 *   <li>text containing {@code ${} is a {@link PropertyReference}: it must follow the grammar, its
 *       default (if any) must be a positive duration, and a reference without a default is a
 *       warning, since the method fails at its first call when the property is not set;
 *   <li>anything else must be a positive duration.
 * </ul>
 */
final class DurationCheck {

  /** A sensible default per attribute, for the suggestion in the missing-default warning. */
  private static final Map<String, String> EXAMPLE_DEFAULTS =
      Map.of(
          "ttl", "10m",
          "jitter", "30s",
          "staleWhileRevalidate", "1m",
          "loadTimeout", "10s",
          "window", "1s",
          "maxWait", "2s");

  /**
   * Reports what is wrong with one duration attribute, if anything.
   *
   * @param site the annotation and its method, not {@code null}
   * @param name the attribute's name, such as {@code "ttl"}
   * @param optional whether empty means none (else a duration is required)
   * @return the duration the attribute gives, or a property reference's default; {@code null}
   *     when it gives none (empty, invalid and reported, or a reference without a default)
   */
  Duration check(AnnotationSite site, String name, boolean optional) {
    Attributes.Text value = Attributes.string(site.annotation(), name);
    String text = value.text();
    if (text == null || (optional && text.isBlank())) {
      return null;
    }
    String prefix = site.subject(name) + ": ";
    if (!PropertyReference.isReference(text)) {
      String problem = positiveProblem(text);
      if (problem != null) {
        site.error(value.written(), prefix + problem + fix(name, optional));
        return null;
      }
      return DurationSyntax.parsePositive(text);
    }
    PropertyReference reference;
    try {
      reference = PropertyReference.parse(text);
    } catch (IllegalArgumentException e) {
      site.error(value.written(), prefix + e.getMessage());
      return null;
    }
    if (reference.defaultValue() == null) {
      site.warning(
          value.written(),
          prefix
              + "${"
              + reference.name()
              + "} has no default: the method fails at first call if the property is not set;"
              + " add a default, as in ${"
              + reference.name()
              + ":"
              + EXAMPLE_DEFAULTS.getOrDefault(name, "10m")
              + "}");
      return null;
    }
    String problem = positiveProblem(reference.defaultValue());
    if (problem != null) {
      site.error(
          value.written(),
          prefix + "the default of \"" + text.trim() + "\" is invalid: " + problem);
      return null;
    }
    return DurationSyntax.parsePositive(reference.defaultValue());
  }

  /** What else would be right, after the accepted forms. */
  private static String fix(String name, boolean optional) {
    if (optional) {
      return ", or leave " + name + " empty for none";
    }
    if (name.equals("ttl")) {
      return ", or a property with a default, as in ${weft.ttl.users:10m}";
    }
    return "";
  }

  /**
   * @return what is wrong with {@code text} as a positive duration, ending with the accepted
   *     forms, or {@code null} if nothing is
   */
  private static String positiveProblem(String text) {
    try {
      DurationSyntax.parsePositive(text);
      return null;
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      if (!message.contains(DurationSyntax.ACCEPTED_FORMS)) {
        message = message + "; use " + DurationSyntax.ACCEPTED_FORMS;
      }
      return message;
    }
  }
}
