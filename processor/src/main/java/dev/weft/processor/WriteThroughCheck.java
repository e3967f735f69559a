package dev.weft.processor;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * The checks for {@code @WriteThrough}: the method returns something that can be cached and has a
 * body; {@code key} is a non-empty template and every {@code tags} entry a template, both of which
 * may use {@code {result}} (see {@link TemplateCheck}); {@code ttl} and {@code jitter} as in
 * {@code @Cached}. A method that returns a {@code CompletableFuture<T>} or {@code
 * CompletionStage<T>} writes the {@code T}, and {@code {result}} is that {@code T}.
 */
final class WriteThroughCheck {

  static final String NAME = "@WriteThrough";

  private final Reporter reporter;
  private final TemplateCheck templates;
  private final DurationCheck durations;
  private final Uncacheable uncacheable;
  private final Elements elements;

  WriteThroughCheck(
      Reporter reporter,
      TemplateCheck templates,
      DurationCheck durations,
      Uncacheable uncacheable,
      Elements elements) {
    this.reporter = reporter;
    this.templates = templates;
    this.durations = durations;
    this.uncacheable = uncacheable;
    this.elements = elements;
  }

  /**
   * Reports every problem of one {@code @WriteThrough} method.
   *
   * @param method the annotated element, not {@code null}
   * @param writeThrough its {@code @WriteThrough} annotation, not {@code null}
   */
  void check(ExecutableElement method, AnnotationMirror writeThrough) {
    if (!WovenMethod.check(reporter, method, writeThrough, NAME)) {
      return;
    }
    String described = Describe.method(method);
    TypeMirror returnType = method.getReturnType();
    TypeMirror valueType = WovenMethod.valueType(returnType, elements);
    TemplateCheck.Result result;
    if (WovenMethod.returnsNothing(returnType)) {
      reporter.error(
          method,
          writeThrough,
          null,
          NAME
              + " on "
              + described
              + " has nothing to write (it returns "
              + Describe.type(returnType)
              + "); return the value to cache, or use @Invalidate to remove the entry instead");
      result = TemplateCheck.Result.unchecked();
    } else {
      uncacheable
          .problem(returnType, valueType)
          .ifPresent(
              problem ->
                  reporter.error(
                      method,
                      writeThrough,
                      null,
                      NAME + " on " + described + " cannot be cached: " + problem));
      result = TemplateCheck.Result.of(valueType);
    }

    Attributes.Text key = Attributes.string(writeThrough, "key");
    if (key.text() != null) {
      if (key.text().isEmpty()) {
        reporter.error(
            method,
            writeThrough,
            key.written(),
            NAME
                + "(key) on "
                + described
                + ": the key is empty; a key is needed to know which entry to write, as in"
                + " \"product:{product.sku}\" or \"product:{result.id}\"");
      } else {
        templates.check(method, writeThrough, key.written(), NAME + "(key)", key.text(), result);
      }
    }
    templates.checkEach(method, writeThrough, NAME, "tags", "tag", "category:{id}", result);

    durations.check(method, writeThrough, NAME, "ttl", false);
    durations.check(method, writeThrough, NAME, "jitter", true);
  }
}
