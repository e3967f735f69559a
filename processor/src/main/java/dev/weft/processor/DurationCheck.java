package dev.weft.processor;

import dev.weft.syntax.DurationSyntax;
import dev.weft.syntax.PropertyReference;
import java.time.Duration;
import java.util.Map;

/**
 * Checks duration attributes ({@code ttl}, {@code jitter}, {@code staleWhileRevalidate}, {@code
 * loadTimeout}, {@code window} and {@code maxWait} of {@code @RateLimited}, {@code lease},
 * {@code waitTime} and {@code holdAtLeast} of {@code @DistributedLock}, and {@code retention} of
 * {@code @Counted}) as weft-core's {@code
 * Durations} reads them, with the same {@link DurationSyntax} and {@link PropertyReference}:
 *
 * <ul>
 *   <li>an optional attribute ({@code jitter}, {@code staleWhileRevalidate}, {@code waitTime},
 *       {@code holdAtLeast}, {@code retention}) that is empty or blank means none (for {@code
 *       retention}: the granularity's default);
 *   <li>text containing {@code ${} is a {@link PropertyReference}: it must follow the grammar, its
 *       default (if any) must be a duration as below, and a reference without a default is a
 *       warning, since the method fails at its first call when the property is not set;
 *   <li>anything else must be a positive duration, or, for an attribute where zero means "not at
 *       all" ({@link #checkZeroAllowed}: {@code waitTime}, {@code holdAtLeast}, {@code maxHold}), a duration that
 *       is zero or positive.
 * </ul>
 */
final class DurationCheck {

  /** A sensible default per attribute, for the suggestion in the missing-default warning. */
  private static final Map<String, String> EXAMPLE_DEFAULTS =
      Map.ofEntries(
          Map.entry("ttl", "10m"),
          Map.entry("jitter", "30s"),
          Map.entry("staleWhileRevalidate", "1m"),
          Map.entry("loadTimeout", "10s"),
          Map.entry("window", "1s"),
          Map.entry("maxWait", "2s"),
          Map.entry("lease", "30s"),
          Map.entry("waitTime", "2s"),
          Map.entry("holdAtLeast", "1m"),
          Map.entry("maxHold", "10m"),
          Map.entry("retention", "1d"));

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
    return check(site, name, optional, false);
  }

  /**
   * Reports what is wrong with an optional duration attribute for which zero is a meaningful value
   * ({@code waitTime = "0s"}: do not wait), if anything: empty means none, and a duration that is
   * zero or positive is accepted; only a negative one (ISO, as {@code "PT-1S"}) is not.
   *
   * @param site the annotation and its method, not {@code null}
   * @param name the attribute's name, such as {@code "waitTime"}
   * @return the duration the attribute gives (possibly zero), or a property reference's default;
   *     {@code null} when it gives none (empty, invalid and reported, or a reference without a
   *     default)
   */
  Duration checkZeroAllowed(AnnotationSite site, String name) {
    return check(site, name, true, true);
  }

  private Duration check(AnnotationSite site, String name, boolean optional, boolean zeroAllowed) {
    Attributes.Text value = Attributes.string(site.annotation(), name);
    String text = value.text();
    if (text == null || (optional && text.isBlank())) {
      return null;
    }
    String prefix = site.subject(name) + ": ";
    if (!PropertyReference.isReference(text)) {
      String problem = problem(text, zeroAllowed);
      if (problem != null) {
        site.error(value.written(), prefix + problem + fix(name, optional));
        return null;
      }
      return DurationSyntax.parse(text);
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
    String problem = problem(reference.defaultValue(), zeroAllowed);
    if (problem != null) {
      site.error(
          value.written(),
          prefix + "the default of \"" + text.trim() + "\" is invalid: " + problem);
      return null;
    }
    return DurationSyntax.parse(reference.defaultValue());
  }

  /** What else would be right, after the accepted forms. */
  private static String fix(String name, boolean optional) {
    if (name.equals("retention")) {
      return ", or leave retention empty for the granularity's default";
    }
    if (optional) {
      return ", or leave " + name + " empty for none";
    }
    if (name.equals("ttl")) {
      return ", or a property with a default, as in ${weft.ttl.users:10m}";
    }
    return "";
  }

  /**
   * @param zeroAllowed whether zero is accepted too (then only a negative duration is not)
   * @return what is wrong with {@code text} as a positive (or zero or positive) duration, ending
   *     with the accepted forms, or {@code null} if nothing is
   */
  private static String problem(String text, boolean zeroAllowed) {
    try {
      if (!zeroAllowed) {
        DurationSyntax.parsePositive(text);
      } else if (DurationSyntax.parse(text).isNegative()) {
        return "\""
            + text
            + "\" must not be negative; use \"0s\" or "
            + DurationSyntax.ACCEPTED_FORMS;
      }
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
