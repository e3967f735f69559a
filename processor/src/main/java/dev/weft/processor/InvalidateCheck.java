package dev.weft.processor;

import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * The checks for one {@code @Invalidate} (a repeated one is checked once per occurrence): it
 * removes something ({@code keys}, {@code tags} or a {@code namespace}); every entry of {@code
 * keys} and {@code tags} is a non-empty template; {@code namespace} is empty (none) or a template;
 * and {@code {result}} appears only after the call ({@code beforeInvocation = false}) of a method
 * that returns something. Glob characters in a namespace ({@code * ? [ ] \}) are literal text: the
 * runtime escapes them before it scans, so they are not reported.
 */
final class InvalidateCheck {

  static final String NAME = "@Invalidate";

  private final Reporter reporter;
  private final TemplateCheck templates;
  private final Elements elements;

  InvalidateCheck(Reporter reporter, TemplateCheck templates, Elements elements) {
    this.reporter = reporter;
    this.templates = templates;
    this.elements = elements;
  }

  /**
   * Reports every problem of one {@code @Invalidate}.
   *
   * @param method the annotated element, not {@code null}
   * @param invalidate one {@code @Invalidate}, on the method or inside its {@code @Invalidate.List},
   *     not {@code null}
   */
  void check(ExecutableElement method, AnnotationMirror invalidate) {
    if (!WovenMethod.check(reporter, method, invalidate, NAME)) {
      return;
    }
    String described = Describe.method(method);
    TemplateCheck.Result result = result(method, Attributes.flag(invalidate, "beforeInvocation"));

    List<Attributes.Text> keys = Attributes.strings(invalidate, "keys");
    List<Attributes.Text> tags = Attributes.strings(invalidate, "tags");
    Attributes.Text namespace = Attributes.string(invalidate, "namespace");
    if (keys.isEmpty() && tags.isEmpty() && "".equals(namespace.text())) {
      reporter.error(
          method,
          invalidate,
          null,
          NAME + " on " + described + " removes nothing; give keys, tags or a namespace");
      return;
    }
    templates.checkEach(method, invalidate, NAME, "keys", "key", "user:{id}", result);
    templates.checkEach(method, invalidate, NAME, "tags", "tag", "category:{id}", result);
    if (namespace.text() != null && !namespace.text().isEmpty()) {
      templates.check(
          method, invalidate, namespace.written(), NAME + "(namespace)", namespace.text(), result);
    }
  }

  private TemplateCheck.Result result(ExecutableElement method, boolean before) {
    if (before) {
      return TemplateCheck.Result.unavailable(
          "with beforeInvocation = true the method has not run yet; use a parameter, or set"
              + " beforeInvocation = false");
    }
    TypeMirror returnType = method.getReturnType();
    if (WovenMethod.returnsNothing(returnType)) {
      return TemplateCheck.Result.unavailable(
          Describe.method(method)
              + " returns "
              + Describe.type(returnType)
              + "; use a parameter, or return the value");
    }
    return TemplateCheck.Result.of(WovenMethod.valueType(returnType, elements));
  }
}
