package dev.weft.processor;

import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * The checks for {@code @Cached}: the method returns something that can be cached and has a body;
 * {@code key} and every {@code tags} entry are templates that resolve on the parameters; {@code
 * ttl} and {@code loadTimeout} are positive durations, {@code jitter} and {@code
 * staleWhileRevalidate} empty or positive (each may be a property reference, see {@link
 * DurationCheck}); and {@code near = true} is warned about when the result is not a value (see
 * {@link ValueSemantics}).
 */
final class CachedCheck {

  static final String NAME = "@Cached";

  /** {@code {result}} in {@code @Cached}: never, the key is needed before the call. */
  static final TemplateCheck.Result NO_RESULT =
      TemplateCheck.Result.unavailable(
          "@Cached needs its key and tags before the method runs; use the parameters, or tag the"
              + " entry with @WriteThrough, which can use the result");

  private final Reporter reporter;
  private final TemplateCheck templates;
  private final DurationCheck durations;
  private final Uncacheable uncacheable;
  private final ValueSemantics values;
  private final Elements elements;

  CachedCheck(
      Reporter reporter,
      TemplateCheck templates,
      DurationCheck durations,
      Uncacheable uncacheable,
      ValueSemantics values,
      Elements elements) {
    this.reporter = reporter;
    this.templates = templates;
    this.durations = durations;
    this.uncacheable = uncacheable;
    this.values = values;
    this.elements = elements;
  }

  /**
   * Reports every problem of one {@code @Cached} method.
   *
   * @param method the annotated element, not {@code null}
   * @param cached its {@code @Cached} annotation, not {@code null}
   */
  void check(ExecutableElement method, AnnotationMirror cached) {
    if (!WovenMethod.check(reporter, method, cached, NAME)) {
      return;
    }
    String described = Describe.method(method);
    TypeMirror returnType = method.getReturnType();
    TypeMirror valueType = WovenMethod.valueType(returnType, elements);
    if (WovenMethod.returnsNothing(returnType)) {
      reporter.error(
          method,
          cached,
          null,
          NAME
              + " on "
              + described
              + " has nothing to cache (it returns "
              + Describe.type(returnType)
              + "); remove @Cached or return the value");
    } else {
      uncacheable
          .problem(returnType, valueType)
          .ifPresent(
              problem ->
                  reporter.error(
                      method,
                      cached,
                      null,
                      NAME + " on " + described + " cannot be cached: " + problem));
    }

    Attributes.Text key = Attributes.string(cached, "key");
    if (key.text() != null && !key.text().isEmpty()) {
      templates.check(method, cached, key.written(), NAME + "(key)", key.text(), NO_RESULT);
    }
    templates.checkEach(method, cached, NAME, "tags", "tag", "category:{id}", NO_RESULT);

    durations.check(method, cached, NAME, "ttl", false);
    durations.check(method, cached, NAME, "jitter", true);
    durations.check(method, cached, NAME, "staleWhileRevalidate", true);
    durations.check(method, cached, NAME, "loadTimeout", false);

    if (Attributes.flag(cached, "near") && !WovenMethod.returnsNothing(returnType)) {
      Optional<ValueSemantics.Mutable> mutable = values.mutability(valueType);
      mutable.ifPresent(
          m ->
              reporter.warning(
                  method,
                  cached,
                  Attributes.written(cached, "near"),
                  NAME
                      + "(near) on "
                      + described
                      + ": "
                      + describe(returnType, m)
                      + "; local copies are shared between callers; a caller that mutates the"
                      + " returned object changes what other callers see; return a record or an"
                      + " immutable type"));
    }
  }

  private static String describe(TypeMirror returnType, ValueSemantics.Mutable mutable) {
    String returned = Describe.type(returnType);
    if (returned.equals(mutable.type())) {
      return mutable.type() + " is mutable (" + mutable.why() + ")";
    }
    return returned + " holds " + mutable.type() + ", which is mutable (" + mutable.why() + ")";
  }
}
