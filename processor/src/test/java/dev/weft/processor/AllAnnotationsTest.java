package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @Cached}, {@code @WriteThrough}, {@code @Invalidate} and {@code @DistributedLock} together
 * in one class.
 */
class AllAnnotationsTest {

  @TempDir Path out;

  /** A product catalog as a user would write it, every attribute in use. */
  private static final String CATALOG =
      String.join(
          "\n",
          "package com.acme.catalog;",
          "",
          "import dev.weft.annotation.Cached;",
          "import dev.weft.annotation.DistributedLock;",
          "import dev.weft.annotation.Invalidate;",
          "import dev.weft.annotation.WriteThrough;",
          "import java.time.Instant;",
          "import java.util.List;",
          "import java.util.Optional;",
          "import java.util.concurrent.CompletableFuture;",
          "",
          "public class CatalogService {",
          "",
          "  public record Product(String sku, String category, long cents, Instant updated) {}",
          "",
          "  public record Page(List<Product> items, int number) {}",
          "",
          "  public record NewProduct(String category, long cents) {}",
          "",
          "  @Cached(key = \"product:{sku}\",",
          "      ttl = \"${weft.ttl.products:10m}\",",
          "      jitter = \"30s\",",
          "      tags = {\"products\", \"category:{0}\"},",
          "      cacheNulls = false,",
          "      staleWhileRevalidate = \"1m\",",
          "      earlyRefresh = true,",
          "      near = true,",
          "      loadTimeout = \"5s\")",
          "  public Optional<Product> find(String sku) {",
          "    return Optional.empty();",
          "  }",
          "",
          "  @Cached(key = \"page:{category}:{page}\", ttl = \"PT2M\", tags = \"category:{category}\")",
          "  public Page page(String category, int page) {",
          "    return new Page(List.of(), page);",
          "  }",
          "",
          "  @Cached(key = \"count:{category}\", ttl = \"30s\")",
          "  public CompletableFuture<Long> count(String category) {",
          "    return CompletableFuture.completedFuture(0L);",
          "  }",
          "",
          "  @DistributedLock(key = \"product:{product.sku}\", waitTime = \"2s\")",
          "  @WriteThrough(key = \"product:{product.sku}\",",
          "      ttl = \"${weft.ttl.products:10m}\",",
          "      jitter = \"30s\",",
          "      tags = {\"products\", \"category:{product.category}\"})",
          "  @Invalidate(tags = \"category:{product.category}\")",
          "  public Product save(Product product) {",
          "    return product;",
          "  }",
          "",
          "  @WriteThrough(key = \"product:{result.sku}\", tags = \"category:{result.category}\")",
          "  public Product create(NewProduct product) {",
          "    return new Product(\"sku-1\", product.category(), product.cents(), Instant.now());",
          "  }",
          "",
          "  @Invalidate(keys = \"product:{sku}\", beforeInvocation = true)",
          "  @Invalidate(tags = {\"category:{result.category}\", \"products\"})",
          "  public Product delete(String sku) {",
          "    return null;",
          "  }",
          "",
          "  @Invalidate(namespace = \"product:\")",
          "  @Invalidate(namespace = \"page:{category}:\")",
          "  public void reindex(String category) {}",
          "",
          "  @DistributedLock(key = \"nightly-reprice\",",
          "      lease = \"${weft.lock.lease:2m}\",",
          "      waitTime = \"0s\",",
          "      autoRenew = false,",
          "      onLocked = DistributedLock.OnLocked.SKIP,",
          "      holdAtLeast = \"1m\",",
          "      redlock = true)",
          "  public CompletableFuture<Void> repriceAll(double factor) {",
          "    return CompletableFuture.completedFuture(null);",
          "  }",
          "}",
          "");

  @Test
  void realisticService_compilesWithoutErrorsOrWarnings() {
    Compilation compilation = TestSources.compile(out, CATALOG);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(
            compilation
                .resource("META-INF/weft/parameter-names/com.acme.catalog.CatalogService.properties")
                .lines()
                .filter(line -> !line.startsWith("#")))
        .containsExactly(
            "find(java.lang.String)=sku",
            "page(java.lang.String,int)=category,page",
            "count(java.lang.String)=category",
            "save(com.acme.catalog.CatalogService$Product)=product",
            "create(com.acme.catalog.CatalogService$NewProduct)=product",
            "delete(java.lang.String)=sku",
            "reindex(java.lang.String)=category",
            "repriceAll(double)=factor");
  }

  @Test
  void severalMistakesAcrossAnnotations_areAllReportedInOneCompilation() {
    Compilation compilation =
        TestSources.compileService(
            out,
            "  @Cached(key = \"customer:{idd}\",",
            "          tags = \"region:{regin}\",",
            "          jitter = \"-1s\",",
            "          loadTimeout = \"0s\")",
            "  public java.util.stream.Stream<Customer> find(long id, String region) {",
            "    return null;",
            "  }",
            "  @WriteThrough(key = \"\", ttl = \"${weft.ttl:forever}\")",
            "  public void save(Product product) {}",
            "  @Invalidate(keys = \"product:{result.sku}\", beforeInvocation = true)",
            "  @Invalidate // removes nothing",
            "  @Invalidate(namespace = \"tenant:{tenat}:\")",
            "  public Product reprice(String sku, String tenant) { return null; }",
            "  @DistributedLock(key = \"sku:{result}\", onLocked = DistributedLock.OnLocked.SKIP)",
            "  public long recount(String sku) { return 0; }");

    assertThat(compilation).failed().hasCount(Diagnostic.Kind.ERROR, 13);
    assertThat(compilation)
        .hadErrorContaining("@Cached(key) on find(long, String): no parameter named 'idd'")
        .onLineContaining("customer:{idd}");
    assertThat(compilation)
        .hadErrorContaining("@Cached(tags) on find(long, String): no parameter named 'regin'")
        .onLineContaining("region:{regin}");
    assertThat(compilation)
        .hadErrorContaining("@Cached(jitter) on find(long, String): \"-1s\" is not a duration")
        .onLineContaining("jitter = \"-1s\"");
    assertThat(compilation)
        .hadErrorContaining("@Cached(loadTimeout) on find(long, String): \"0s\" must be greater")
        .onLineContaining("loadTimeout = \"0s\"");
    assertThat(compilation)
        .hadErrorContaining("@Cached on find(long, String) cannot be cached: a Stream<Customer>")
        .onLineContaining("customer:{idd}");
    assertThat(compilation)
        .hadErrorContaining("@WriteThrough on save(Product) has nothing to write")
        .onLineContaining("@WriteThrough(key = \"\"");
    assertThat(compilation)
        .hadErrorContaining("@WriteThrough(key) on save(Product): the key is empty")
        .onLineContaining("@WriteThrough(key = \"\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@WriteThrough(ttl) on save(Product): the default of \"${weft.ttl:forever}\" is"
                + " invalid")
        .onLineContaining("@WriteThrough(key = \"\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Invalidate(keys) on reprice(String, String): {result} is not available: with"
                + " beforeInvocation = true")
        .onLineContaining("product:{result.sku}");
    assertThat(compilation)
        .hadErrorContaining("@Invalidate on reprice(String, String) removes nothing")
        .onLineContaining("// removes nothing");
    assertThat(compilation)
        .hadErrorContaining(
            "@Invalidate(namespace) on reprice(String, String): no parameter named 'tenat';"
                + " available: sku, tenant, result. Did you mean 'tenant'?")
        .onLineContaining("tenant:{tenat}:");
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(key) on recount(String): {result} is not available: @DistributedLock"
                + " takes the lock before the method runs; use the parameters")
        .onLineContaining("sku:{result}");
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(onLocked) on recount(String): a skipped call would have to return a"
                + " long; return a boxed type or Optional, or use onLocked = THROW")
        .onLineContaining("sku:{result}");
  }
}
