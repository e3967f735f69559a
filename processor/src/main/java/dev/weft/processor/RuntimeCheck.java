package dev.weft.processor;

import dev.weft.syntax.NameSyntax;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;

/**
 * The check of the {@code runtime} attribute, which every Weft annotation has: empty, or a
 * runtime's name as {@code Weft.builder().name(...)} accepts it (weft-core's {@link NameSyntax});
 * and, among the woven annotations of one method, one runtime: an annotation that names another
 * runtime than an earlier one on the method is an error on its {@code runtime}, as weft-core
 * rejects it at the method's first call. Whether a runtime of that name is built is for the
 * application's start-up to say, not the compiler.
 */
final class RuntimeCheck {

  static final String ATTRIBUTE = "runtime";

  private RuntimeCheck() {}

  /**
   * Reports what is wrong with the annotation's {@code runtime}, if anything.
   *
   * @param site the annotated method and one Weft annotation, on the method or inside a container
   *     on it, not {@code null}
   * @param woven whether the annotation is one the aspect and the agent weave (listeners are not:
   *     each names its own runtime)
   */
  static void check(AnnotationSite site, boolean woven) {
    Attributes.Text runtime = Attributes.string(site.annotation(), ATTRIBUTE);
    if (runtime.text() == null || runtime.text().isEmpty()) {
      return;
    }
    String problem = NameSyntax.runtimeNameProblem(runtime.text());
    if (problem != null) {
      site.error(runtime.written(), site.subject(ATTRIBUTE) + ": " + problem);
      return;
    }
    if (!woven) {
      return;
    }
    for (AnnotationMirror earlier : wovenOn(site)) {
      if (earlier == site.annotation()) {
        return;
      }
      String named = Attributes.string(earlier, ATTRIBUTE).text();
      if (named != null && !named.isEmpty() && !named.equals(runtime.text())) {
        site.error(
            runtime.written(),
            site.subject(ATTRIBUTE)
                + ": names another runtime than @"
                + earlier.getAnnotationType().asElement().getSimpleName()
                + "(runtime = \""
                + named
                + "\"); one method uses one runtime: name the same, or leave it empty on every"
                + " annotation but one");
        return;
      }
    }
  }

  /** @return the woven annotations on the method, containers opened, in source order */
  private static List<AnnotationMirror> wovenOn(AnnotationSite site) {
    List<AnnotationMirror> all = new ArrayList<>();
    for (AnnotationMirror mirror : site.method().getAnnotationMirrors()) {
      String name =
          ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
      if (!WeftProcessor.WOVEN.contains(name)) {
        continue;
      }
      if (name.endsWith(".List")) {
        all.addAll(Attributes.contained(mirror));
      } else {
        all.add(mirror);
      }
    }
    return all;
  }
}
