package dev.weft.processor;

import dev.weft.syntax.NameSyntax;
import dev.weft.syntax.PropertyReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;

/*
 * Several counters on one method
 *
 * A method may carry @Counted more than once, to count a call under several keys ("views:{page}"
 * and "views") or by outcome ("checkout:ok" for successes, "checkout:failed" for failures). Two
 * of them with the same name, granularity and key text would add to one series twice for the
 * same call, so the later one is an error on its key, as the runtime rejects it at the first call.
 * (The runtime compares the key as written, so "{0}" and "{page}" naming the same parameter are
 * not caught; neither does the compiler catch them.) A repeated @Counted arrives inside
 * @Counted.List and is checked once per occurrence, like @RateLimited, so every message lands on
 * the annotation it is about.
 */

/**
 * The checks for one {@code @Counted} (a repeated one is checked once per occurrence), as
 * weft-core's {@code MethodPlan} reads it at the first call: {@code key} is a non-empty template
 * on the parameters, without {@code {result}} (failed and refused calls count too, and have
 * none); {@code name} is a valid counter name (weft-syntax's {@link NameSyntax}, shared with {@code
 * weft.counter}); {@code retention} is empty (the granularity's default) or a positive duration (or
 * a property reference, see {@link DurationCheck}) of whole seconds, at least 1 s. Across the
 * counters of one method: see the block comment above. Any return type is fine, {@code void} and
 * futures included, and the annotation combines with every other Weft annotation.
 */
final class CountedCheck {

  static final String NAME = "@Counted";

  /** {@code {result}} in a counter's key: never, see the class comment. */
  static final TemplateCheck.Result NO_RESULT =
      TemplateCheck.Result.unavailable(
          "@Counted counts calls that fail or are refused too, which have no result; use the"
              + " parameters");

  private final TemplateCheck templates;
  private final DurationCheck durations;

  CountedCheck(TemplateCheck templates, DurationCheck durations) {
    this.templates = templates;
    this.durations = durations;
  }

  /**
   * Reports every problem of one {@code @Counted}; runs on methods only, after {@link
   * WovenMethod#check}.
   *
   * @param site the annotated method and one {@code @Counted}, on the method or inside its {@code
   *     @Counted.List}, not {@code null}
   */
  void check(AnnotationSite site) {
    AnnotationMirror counted = site.annotation();

    Attributes.Text key = Attributes.string(counted, "key");
    if (key.text() != null && key.text().isEmpty()) {
      site.error(
          key.written(),
          site.subject("key")
              + ": an empty key names nothing to count; give a template such as"
              + " \"views:{page}\", or a fixed text such as \"views\" for one count of every call");
    } else if (key.text() != null) {
      templates.check(site, key.written(), "key", key.text(), NO_RESULT);
    }

    Attributes.Text name = Attributes.string(counted, "name");
    if (name.text() != null) {
      String problem = NameSyntax.counterNameProblem("counter", name.text());
      if (problem != null) {
        site.error(name.written(), site.subject("name") + ": " + problem);
      }
    }

    Duration retention = durations.check(site, "retention", true);
    if (retention != null) {
      wholeSeconds(site, retention);
    }

    List<AnnotationMirror> all = countersOn(site);
    int index = indexOf(all, counted);
    if (index > 0) {
      notARepeat(site, all.subList(0, index));
    }
  }

  /** Redis keeps a bucket for whole seconds ({@code EXPIREAT}). */
  private static void wholeSeconds(AnnotationSite site, Duration retention) {
    Attributes.Text text = Attributes.string(site.annotation(), "retention");
    String written = text.text().trim();
    boolean reference = PropertyReference.isReference(written);
    String problem =
        NameSyntax.retentionProblem(
            retention, reference ? PropertyReference.parse(written).defaultValue() : written);
    if (problem != null) {
      site.error(
          text.written(),
          site.subject("retention")
              + ": "
              + (reference ? "the default of \"" + written + "\" is invalid: " : "")
              + problem);
    }
  }

  private static void notARepeat(AnnotationSite site, List<AnnotationMirror> earlier) {
    List<String> series = series(site.annotation());
    if (series == null) {
      return;
    }
    for (AnnotationMirror other : earlier) {
      if (series.equals(series(other))) {
        site.error(
            Attributes.string(site.annotation(), "key").written(),
            site.subject("key")
                + ": counts into the same series as an earlier @Counted on this method (name \""
                + series.get(0)
                + "\", "
                + series.get(1)
                + "), so a call would count twice; give it another key or name, or remove one");
        return;
      }
    }
  }

  /**
   * @return what names a counter's series: name, granularity and key as written; {@code null}
   *     when an attribute cannot be read (javac reports that)
   */
  private static List<String> series(AnnotationMirror counted) {
    String name = Attributes.string(counted, "name").text();
    String granularity = Attributes.constant(counted, "granularity");
    String key = Attributes.string(counted, "key").text();
    if (name == null || granularity == null || key == null) {
      return null;
    }
    return List.of(name, granularity, key);
  }

  /** @return every {@code @Counted} on the method, direct or in a container, in source order */
  private static List<AnnotationMirror> countersOn(AnnotationSite site) {
    List<AnnotationMirror> counters = new ArrayList<>();
    for (AnnotationMirror mirror : site.method().getAnnotationMirrors()) {
      String name =
          ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
      if (name.equals(WeftProcessor.COUNTED)) {
        counters.add(mirror);
      } else if (name.equals(WeftProcessor.COUNTED_LIST)) {
        counters.addAll(Attributes.contained(mirror));
      }
    }
    return counters;
  }

  private static int indexOf(List<AnnotationMirror> counters, AnnotationMirror counted) {
    for (int i = 0; i < counters.size(); i++) {
      if (counters.get(i) == counted) {
        return i;
      }
    }
    return -1;
  }
}
