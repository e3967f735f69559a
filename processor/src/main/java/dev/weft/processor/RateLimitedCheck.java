package dev.weft.processor;

import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.syntax.DurationSyntax;
import dev.weft.syntax.PropertyReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;

/*
 * Several limits on one method
 *
 * A method may carry @RateLimited more than once ("10 per second" and "1000 per hour"). The
 * runtime decides all of a call's limits in one Lua script, atomically, so that a call denied by
 * one limit consumes nothing from the others; one script may touch only keys of one hash slot,
 * and the slot is chosen by the user key. Hence two rules that no single annotation shows:
 *
 *   one key      every @RateLimited on the method has the same key text; each one that differs
 *                from the first is an error on its own key
 *   no repeats   two limits with the same algorithm, permits and window would count the same
 *                calls twice against the same budget; the later one is an error
 *
 * A repeated @RateLimited arrives inside @RateLimited.List and is checked once per occurrence,
 * like @Invalidate; each check finds its siblings on the method and compares itself with those
 * before it, so every message lands on the annotation it is about.
 */

/**
 * The checks for one {@code @RateLimited} (a repeated one is checked once per occurrence), as
 * weft-core's {@code Limit} and the runtime read it at the first call: {@code permits} is at least
 * 1 (at most {@code RateLimitAlgorithm.MAX_LOG_PERMITS} for {@code SLIDING_WINDOW_LOG}); {@code
 * window} is a positive duration (or a property reference, see {@link DurationCheck}) of
 * at least 1 ms in whole milliseconds; {@code maxWait} is a positive duration with {@code onLimit =
 * WAIT} and empty with {@code THROW}; {@code key} is empty or a template on the parameters,
 * without {@code {result}}. Across the limits of one method: see the block comment above. Any
 * return type is fine, {@code void} included.
 */
final class RateLimitedCheck {

  static final String NAME = "@RateLimited";

  /** {@code {result}} in a rate-limit key: never, the limit is decided before the call. */
  static final TemplateCheck.Result NO_RESULT =
      TemplateCheck.Result.unavailable(
          "@RateLimited decides the limit before the method runs; use the parameters");

  private static final Duration ONE_MILLI = Duration.ofMillis(1);

  private final TemplateCheck templates;
  private final DurationCheck durations;

  RateLimitedCheck(TemplateCheck templates, DurationCheck durations) {
    this.templates = templates;
    this.durations = durations;
  }

  /**
   * Reports every problem of one {@code @RateLimited}; runs on methods only, after {@link
   * WovenMethod#check}.
   *
   * @param site the annotated method and one {@code @RateLimited}, on the method or inside its
   *     {@code @RateLimited.List}, not {@code null}
   */
  void check(AnnotationSite site) {
    AnnotationMirror limit = site.annotation();

    Long permits = Attributes.number(limit, "permits");
    if (permits != null && permits < 1) {
      site.error(
          Attributes.written(limit, "permits"),
          site.subject("permits")
              + ": permits must be at least 1; got "
              + permits
              + ", give how many calls one window allows, as in permits = 10");
    }
    if (permits != null
        && permits > RateLimitAlgorithm.MAX_LOG_PERMITS
        && "SLIDING_WINDOW_LOG".equals(Attributes.constant(limit, "algorithm"))) {
      // MAX_LOG_PERMITS is a compile-time constant: the processor does not load the enum
      site.error(
          Attributes.written(limit, "permits"),
          site.subject("permits")
              + ": permits = " + permits + " is above " + RateLimitAlgorithm.MAX_LOG_PERMITS
              + ", the most a SLIDING_WINDOW_LOG limit grants per window: it stores one"
              + " sorted-set member per permit, all added in one script while Redis serves"
              + " nobody else; use algorithm = SLIDING_WINDOW_COUNTER or GCRA for large limits,"
              + " or permits = " + RateLimitAlgorithm.MAX_LOG_PERMITS + " or less");
    }

    Duration window = durations.check(site, "window", false);
    if (window != null) {
      windowInMillis(site, window);
    }

    maxWait(site);

    Attributes.Text key = Attributes.string(limit, "key");
    if (key.text() != null && !key.text().isEmpty()) {
      templates.check(site, key.written(), "key", key.text(), NO_RESULT);
    }

    List<AnnotationMirror> all = limitsOn(site);
    int index = indexOf(all, limit);
    if (index > 0) {
      sameKeyAsFirst(site, key, all.get(0));
      samePoliciesAsFirst(site, all.get(0));
      notARepeat(site, all.subList(0, index));
    }
  }

  /** weft-core's {@code Limit} counts windows in Redis's milliseconds. */
  private static void windowInMillis(AnnotationSite site, Duration window) {
    Attributes.Text text = Attributes.string(site.annotation(), "window");
    if (window.compareTo(ONE_MILLI) < 0) {
      site.error(
          text.written(),
          site.subject("window")
              + ": \""
              + text.text().trim()
              + "\" is shorter than 1 ms, and Redis's clock counts windows in milliseconds; use"
              + " \"1ms\" or longer");
    } else if (window.getNano() % 1_000_000 != 0) {
      site.error(
          text.written(),
          site.subject("window")
              + ": \""
              + text.text().trim()
              + "\" is not whole milliseconds, and Redis's clock counts windows in milliseconds;"
              + " round it, as in \""
              + window.toMillis()
              + "ms\"");
    }
  }

  private void maxWait(AnnotationSite site) {
    AnnotationMirror limit = site.annotation();
    String onLimit = Attributes.constant(limit, "onLimit");
    Attributes.Text maxWait = Attributes.string(limit, "maxWait");
    if (onLimit == null || maxWait.text() == null) {
      return;
    }
    boolean empty = maxWait.text().isBlank();
    if (onLimit.equals("WAIT") && empty) {
      site.error(
          maxWait.written(),
          site.subject("maxWait")
              + ": with onLimit = WAIT a call needs to know how long it may wait; give a positive"
              + " duration, as in maxWait = \"2s\"");
    } else if (onLimit.equals("WAIT")) {
      durations.check(site, "maxWait", false);
    } else if (!empty) {
      site.error(
          maxWait.written(),
          site.subject("maxWait")
              + ": maxWait only applies with onLimit = WAIT; remove it or set onLimit = WAIT");
    }
  }

  private static void sameKeyAsFirst(
      AnnotationSite site, Attributes.Text key, AnnotationMirror first) {
    String firstKey = Attributes.string(first, "key").text();
    if (key.text() == null || firstKey == null || key.text().equals(firstKey)) {
      return;
    }
    site.error(
        key.written(),
        site.subject("key")
            + ": all @RateLimited on one method must share one key, because their limits are"
            + " decided together; "
            + (firstKey.isEmpty()
                ? "leave key empty here too, as on the first"
                : "use \"" + firstKey + "\" here too")
            + ", or move this limit to another method");
  }

  /** All limits of a call are decided in one step, so one policy applies to the decision. */
  private static void samePoliciesAsFirst(AnnotationSite site, AnnotationMirror first) {
    AnnotationMirror limit = site.annotation();
    for (String attribute : new String[] {"onLimit", "onRedisFailure"}) {
      String mine = Attributes.constant(limit, attribute);
      String theirs = Attributes.constant(first, attribute);
      if (mine == null) {
        mine = attribute.equals("onLimit") ? "THROW" : "ALLOW";
      }
      if (theirs == null) {
        theirs = attribute.equals("onLimit") ? "THROW" : "ALLOW";
      }
      if (!mine.equals(theirs)) {
        site.error(
            site.subject(attribute)
                + ": all @RateLimited on one method must share " + attribute + ", because their"
                + " limits are decided together; use " + attribute + " = " + theirs + " here too,"
                + " as on the first");
      }
    }
    String mine = Attributes.string(limit, "maxWait").text();
    String theirs = Attributes.string(first, "maxWait").text();
    if (mine != null && theirs != null && !mine.trim().equals(theirs.trim())) {
      site.error(
          site.subject("maxWait")
              + ": all @RateLimited on one method must share maxWait, because their limits are"
              + " decided together; use maxWait = \"" + theirs.trim() + "\" here too, as on the"
              + " first");
    }
  }

  private static void notARepeat(AnnotationSite site, List<AnnotationMirror> earlier) {
    Object identity = identity(site.annotation());
    if (identity == null) {
      return;
    }
    for (AnnotationMirror other : earlier) {
      if (identity.equals(identity(other))) {
        AnnotationMirror limit = site.annotation();
        site.error(
            site.subject()
                + " repeats the limit "
                + Attributes.number(limit, "permits")
                + " per \""
                + Attributes.string(limit, "window").text().trim()
                + "\" ("
                + Attributes.constant(limit, "algorithm")
                + ") of an earlier @RateLimited, which counts the same calls twice; remove one");
        return;
      }
    }
  }

  /**
   * What makes two limits the same: algorithm, permits and window; a window that parses is
   * compared as a duration ({@code "1s"} is {@code "1000ms"}), a property reference by its text.
   *
   * @return the identity, or {@code null} when an attribute cannot be read (reported elsewhere)
   */
  private static Object identity(AnnotationMirror limit) {
    String algorithm = Attributes.constant(limit, "algorithm");
    Long permits = Attributes.number(limit, "permits");
    String window = Attributes.string(limit, "window").text();
    if (algorithm == null || permits == null || window == null) {
      return null;
    }
    Object windowIdentity;
    if (PropertyReference.isReference(window)) {
      windowIdentity = window.trim();
    } else {
      try {
        windowIdentity = DurationSyntax.parse(window);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return List.of(algorithm, permits, windowIdentity);
  }

  /** @return every {@code @RateLimited} on the method, direct or in a container, in source order */
  private static List<AnnotationMirror> limitsOn(AnnotationSite site) {
    List<AnnotationMirror> limits = new ArrayList<>();
    for (AnnotationMirror mirror : site.method().getAnnotationMirrors()) {
      String name =
          ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
      if (name.equals(WeftProcessor.RATE_LIMITED)) {
        limits.add(mirror);
      } else if (name.equals(WeftProcessor.RATE_LIMITED_LIST)) {
        limits.addAll(Attributes.contained(mirror));
      }
    }
    return limits;
  }

  private static int indexOf(List<AnnotationMirror> limits, AnnotationMirror limit) {
    for (int i = 0; i < limits.size(); i++) {
      if (limits.get(i) == limit) {
        return i;
      }
    }
    return -1;
  }
}
