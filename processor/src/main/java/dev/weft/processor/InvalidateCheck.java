package dev.weft.processor;

import java.util.List;
import javax.lang.model.element.AnnotationMirror;
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

  private final TemplateCheck templates;
  private final Elements elements;

  InvalidateCheck(TemplateCheck templates, Elements elements) {
    this.templates = templates;
    this.elements = elements;
  }

  /**
   * Reports every problem of one {@code @Invalidate}; runs on methods only, after {@link
   * WovenMethod#check}.
   *
   * @param site the annotated method and one {@code @Invalidate}, on the method or inside its
   *     {@code @Invalidate.List}, not {@code null}
   */
  void check(AnnotationSite site) {
    AnnotationMirror invalidate = site.annotation();
    TemplateCheck.Result result = result(site, Attributes.flag(invalidate, "beforeInvocation"));

    List<Attributes.Text> keys = Attributes.strings(invalidate, "keys");
    List<Attributes.Text> tags = Attributes.strings(invalidate, "tags");
    Attributes.Text namespace = Attributes.string(invalidate, "namespace");
    if (keys.isEmpty() && tags.isEmpty() && "".equals(namespace.text())) {
      site.error(site.subject() + " removes nothing; give keys, tags or a namespace");
      return;
    }
    templates.checkEach(site, "keys", "key", "user:{id}", result);
    templates.checkEach(site, "tags", "tag", "category:{id}", result);
    if (namespace.text() != null && !namespace.text().isEmpty()) {
      templates.check(site, namespace.written(), "namespace", namespace.text(), result);
    }
  }

  private TemplateCheck.Result result(AnnotationSite site, boolean before) {
    if (before) {
      return TemplateCheck.Result.unavailable(
          "with beforeInvocation = true the method has not run yet; use a parameter, or set"
              + " beforeInvocation = false");
    }
    TypeMirror returnType = site.method().getReturnType();
    if (WovenMethod.returnsNothing(returnType)) {
      return TemplateCheck.Result.unavailable(
          site.described()
              + " returns "
              + Describe.type(returnType)
              + "; use a parameter, or return the value");
    }
    return TemplateCheck.Result.of(WovenMethod.valueType(returnType, elements));
  }
}
