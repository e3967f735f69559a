package dev.weft.processor;

import javax.lang.model.type.TypeMirror;

/**
 * The checks for {@code @WriteThrough}: the method returns something that can be cached and has a
 * body; {@code key} is a non-empty template and every {@code tags} entry a template, both of which
 * may use {@code {result}} (see {@link TemplateCheck}); {@code ttl} and {@code jitter} as in
 * {@code @Cached}. A method that returns a {@code CompletableFuture<T>} or {@code
 * CompletionStage<T>} writes the {@code T}, and {@code {result}} is that {@code T}.
 */
final class WriteThroughCheck {

  static final String NAME = "@WriteThrough";

  private final TemplateCheck templates;
  private final StoredValueCheck stored;

  WriteThroughCheck(TemplateCheck templates, StoredValueCheck stored) {
    this.templates = templates;
    this.stored = stored;
  }

  /**
   * Reports every problem of one {@code @WriteThrough} method; runs on methods only, after {@link
   * WovenMethod#check}.
   *
   * @param site the annotated method and its {@code @WriteThrough} annotation, not {@code null}
   */
  void check(AnnotationSite site) {
    TypeMirror valueType =
        stored.value(
            site,
            "write",
            "return the value to cache, or use @Invalidate to remove the entry instead");
    TemplateCheck.Result result =
        valueType == null ? TemplateCheck.Result.unchecked() : TemplateCheck.Result.of(valueType);

    Attributes.Text key = Attributes.string(site.annotation(), "key");
    if (key.text() != null) {
      if (key.text().isEmpty()) {
        site.error(
            key.written(),
            site.subject("key")
                + ": the key is empty; a key is needed to know which entry to write, as in"
                + " \"product:{product.sku}\" or \"product:{result.id}\"");
      } else {
        templates.check(site, key.written(), "key", key.text(), result);
      }
    }
    templates.checkEach(site, "tags", "tag", "category:{id}", result);

    stored.ttlAndJitter(site);
  }
}
