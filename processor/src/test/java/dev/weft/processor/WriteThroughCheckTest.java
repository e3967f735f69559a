package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;

import dev.weft.syntax.DurationSyntax;
import java.nio.file.Path;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code @WriteThrough} checks, each with its message and line. */
class WriteThroughCheckTest {

  @TempDir Path out;

  private Compilation compile(String... lines) {
    return TestSources.compileService(out, lines);
  }

  @Test
  void key_empty_saysAKeyIsNeeded() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"\")",
            "  public Product save(Product product) { return product; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@WriteThrough(key) on save(Product): the key is empty; a key is needed to know which"
                + " entry to write, as in \"product:{product.sku}\" or \"product:{result.id}\"")
        .onLineContaining("key = \"\"");
  }

  @Test
  void voidMethod_hasNothingToWrite() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"product:{product.sku}\")",
            "  public void save(Product product) {}",
            "  @WriteThrough(key = \"boxed:{product.sku}\")",
            "  public Void boxed(Product product) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@WriteThrough on save(Product) has nothing to write (it returns void); return the"
                + " value to cache, or use @Invalidate to remove the entry instead")
        .onLineContaining("product:{product.sku}");
    assertThat(compilation)
        .hadErrorContaining("@WriteThrough on boxed(Product) has nothing to write (it returns Void)")
        .onLineContaining("boxed:{product.sku}");
  }

  @Test
  void voidMethod_resultInKey_isNotReportedTwice() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"saved:{result.id}\")",
            "  public void save(Product product) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining("has nothing to write")
        .onLineContaining("saved:{result.id}");
  }

  @Test
  void result_resolvesOnTheReturnType() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"saved:{result.idd}\")",
            "  public Saved save(Product product) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@WriteThrough(key) on save(Product): cannot resolve 'idd' in {result.idd}: no"
                + " property 'idd' on com.acme.Model.Saved; readable properties: id. Did you mean"
                + " 'id'?")
        .onLineContaining("saved:{result.idd}");
  }

  @Test
  void result_ofAFuture_isWhatItCompletesWith() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"product:{result.sku}\")",
            "  public java.util.concurrent.CompletableFuture<Product> save(Product p) {",
            "    return null;",
            "  }",
            "  @WriteThrough(key = \"optional:{result.sku}\")",
            "  public Optional<Product> maybe(Product p) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@WriteThrough(key) on maybe(Product): cannot resolve 'sku' in {result.sku}: no"
                + " property 'sku' on java.util.Optional")
        .onLineContaining("optional:{result.sku}");
  }

  @Test
  void result_misspelled_isSuggested() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"saved:{reslt.id}\")",
            "  public Saved save(Product product) { return null; }");

    assertThat(compilation)
        .hadErrorContaining(
            "@WriteThrough(key) on save(Product): no parameter named 'reslt'; available: product,"
                + " result. Did you mean 'result'?")
        .onLineContaining("saved:{reslt.id}");
  }

  @Test
  void result_ofAPrimitive_hasNoProperties() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"count:{result.value}\")",
            "  public long count(String sku) { return 0; }");

    assertThat(compilation)
        .hadErrorContaining(
            "cannot resolve 'value' in {result.value}: a primitive (long) has no properties; end"
                + " the placeholder at {result}")
        .onLineContaining("count:{result.value}");
  }

  @Test
  void result_parameterNamedResultWins() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"product:{result.sku}\")",
            "  public Saved bySku(Product result) { return null; }",
            "  @WriteThrough(key = \"saved:{result.id}\")",
            "  public Saved byId(Product result) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@WriteThrough(key) on byId(Product): cannot resolve 'id' in {result.id}: no property"
                + " 'id' on com.acme.Model.Product")
        .onLineContaining("saved:{result.id}");
  }

  @Test
  void tags_areTemplatesThatMayUseTheResult() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"product:{result.sku}\",",
            "                tags = {\"category:{result.category}\",",
            "                        \"owner:{owner}\",",
            "                        \"\"})",
            "  public Product save(Product product, long ownerId) { return product; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@WriteThrough(tags) on save(Product, long): no parameter named 'owner'; available:"
                + " product, ownerId, result")
        .onLineContaining("owner:{owner}");
    assertThat(compilation)
        .hadErrorContaining(
            "@WriteThrough(tags) on save(Product, long): an empty tag names nothing; write a"
                + " template such as \"category:{id}\", or remove the empty entry")
        .onLineContaining("\"\"})");
  }

  @Test
  void ttlAndJitter_areCheckedAsInCached() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"p:{result.sku}\",",
            "                ttl = \"10 minutes\",",
            "                jitter = \"0s\")",
            "  public Product save(Product product) { return product; }",
            "  @WriteThrough(key = \"q:{result.sku}\", ttl = \"${weft.ttl.products}\")",
            "  public Product unset(Product product) { return product; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadErrorContaining(
            "@WriteThrough(ttl) on save(Product): \"10 minutes\" is not a duration; use "
                + DurationSyntax.ACCEPTED_FORMS)
        .onLineContaining("10 minutes");
    assertThat(compilation)
        .hadErrorContaining(
            "@WriteThrough(jitter) on save(Product): \"0s\" must be greater than zero")
        .onLineContaining("jitter = \"0s\"");
    assertThat(compilation)
        .hadWarningContaining(
            "@WriteThrough(ttl) on unset(Product): ${weft.ttl.products} has no default")
        .onLineContaining("${weft.ttl.products}");
  }

  @Test
  void uncacheableReturnType_isAnError() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"all:{category}\")",
            "  public java.util.stream.Stream<Product> saveAll(String category) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@WriteThrough on saveAll(String) cannot be cached: a Stream<Product> is consumed"
                + " once")
        .onLineContaining("all:{category}");
  }

  @Test
  void correctMethods_compileWithoutErrorsOrWarnings() {
    Compilation compilation =
        compile(
            "  @WriteThrough(key = \"product:{product.sku}\", ttl = \"10m\",",
            "                tags = \"category:{product.category}\")",
            "  public Product save(Product product) { return product; }",
            "  @WriteThrough(key = \"saved:{result.id}\", tags = {\"all\", \"cents:{0.cents}\"},",
            "                ttl = \"${weft.ttl.saved:PT5M}\", jitter = \"30s\")",
            "  public Saved create(Product product) { return null; }",
            "  @WriteThrough(key = \"count:{result}\")",
            "  public long count() { return 0; }");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void abstractMethod_warnsThatWriteThroughHasNoEffect() {
    Compilation compilation =
        TestSources.compile(
            out,
            TestSources.type(
                "public interface Repository",
                "  @WriteThrough(key = \"r:{id}\")",
                "  String save(long id);"));

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 0)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadWarningContaining(
            "@WriteThrough on save(long) has no effect: the method is abstract and Weft weaves"
                + " only method bodies; put @WriteThrough on the implementing method")
        .onLineContaining("r:{id}");
  }
}
