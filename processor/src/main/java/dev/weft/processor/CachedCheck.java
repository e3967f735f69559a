package dev.weft.processor;

import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.type.TypeMirror;

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

  private final TemplateCheck templates;
  private final DurationCheck durations;
  private final StoredValueCheck stored;
  private final ValueSemantics values;

  CachedCheck(
      TemplateCheck templates,
      DurationCheck durations,
      StoredValueCheck stored,
      ValueSemantics values) {
    this.templates = templates;
    this.durations = durations;
    this.stored = stored;
    this.values = values;
  }

  /**
   * Reports every problem of one {@code @Cached} method; runs on methods only, after {@link
   * WovenMethod#check}.
   *
   * @param site the annotated method and its {@code @Cached} annotation, not {@code null}
   */
  void check(AnnotationSite site) {
    TypeMirror valueType = stored.value(site, "cache", "remove @Cached or return the value");

    AnnotationMirror cached = site.annotation();
    Attributes.Text key = Attributes.string(cached, "key");
    if (key.text() != null && !key.text().isEmpty()) {
      templates.check(site, key.written(), "key", key.text(), NO_RESULT);
    } else if (key.text() != null) {
      templates.checkWholeCall(site, "key");
    }
    templates.checkEach(site, "tags", "tag", "category:{id}", NO_RESULT);

    stored.ttlAndJitter(site);
    durations.check(site, "staleWhileRevalidate", true);
    durations.check(site, "loadTimeout", false);

    if (valueType != null && Attributes.flag(cached, "near")) {
      Optional<ValueSemantics.Mutable> mutable = values.mutability(valueType);
      mutable.ifPresent(
          m ->
              site.warning(
                  Attributes.written(cached, "near"),
                  site.subject("near")
                      + ": "
                      + describe(site.method().getReturnType(), m)
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
