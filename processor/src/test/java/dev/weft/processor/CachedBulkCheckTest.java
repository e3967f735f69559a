package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.syntax.DurationSyntax;
import java.nio.file.Path;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code @CachedBulk} checks, each asserted with its message and the line javac points at. */
class CachedBulkCheckTest {

  @TempDir Path out;

  /** A wrapped id, declared in the service, for paths below one element: {@code {ids.value}}. */
  private static final String ID = "  public record Id(String value) {}";

  private Compilation compile(String... lines) {
    return TestSources.compileService(out, lines);
  }

  @Test
  void correctMethods_compileWithoutErrorsOrWarnings() {
    Compilation compilation =
        compile(
            ID,
            "  @CachedBulk(key = \"product:{skus}\", ttl = \"10m\")",
            "  public Map<String, Product> products(List<String> skus) { return null; }",
            "  @CachedBulk(key = \"product:{region}:{ids.value}\",",
            "              ttl = \"${weft.ttl.products:10m}\", jitter = \"30s\", cacheNulls = false)",
            "  public Map<Id, Product> byIds(String region, Set<Id> ids) { return null; }",
            "  @CachedBulk(key = \"customer:{0}\")",
            "  public LinkedHashMap<Long, Customer> customers(Collection<Long> ids, boolean fresh) {",
            "    return null;",
            "  }",
            "  @CachedBulk(key = \"sku:{skus.value}\")",
            "  public Map<Id, Optional<Product>> wide(List<? extends Id> skus) {",
            "    return null;",
            "  }");

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(
            compilation
                .resource("META-INF/weft/parameter-names/com.acme.Service.properties")
                .lines()
                .filter(line -> !line.startsWith("#")))
        .containsExactly(
            "products(java.util.List)=skus",
            "byIds(java.lang.String,java.util.Set)=region,ids",
            "customers(java.util.Collection,boolean)=ids,fresh",
            "wide(java.util.List)=skus");
  }

  @Test
  void voidMethod_hasNothingToCache() {
    Compilation compilation =
        compile(
            "  @CachedBulk(key = \"product:{skus}\")",
            "  public void warm(List<String> skus) {}");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@CachedBulk on warm(List<String>) has nothing to cache (it returns void); return a"
                + " Map from each id to its value, as in Map<String, Product>")
        .onLineContaining("product:{skus}");
  }

  @Test
  void returnTypeNotAMap_saysAMapIsNeeded() {
    Compilation compilation =
        compile(
            "  @CachedBulk(key = \"product:{skus}\")",
            "  public List<Product> products(List<String> skus) { return null; }",
            "  @CachedBulk(key = \"async:{skus}\")",
            "  public java.util.concurrent.CompletableFuture<Map<String, Product>> async(",
            "      List<String> skus) {",
            "    return null;",
            "  }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@CachedBulk on products(List<String>) must return a Map<id, value>, but returns"
                + " List<Product>; return a Map from each id to its value, as in Map<String,"
                + " Product>")
        .onLineContaining("product:{skus}");
    assertThat(compilation)
        .hadErrorContaining(
            "@CachedBulk on async(List<String>) must return a Map<id, value>, but returns"
                + " CompletableFuture<Map<String, Product>>")
        .onLineContaining("async:{skus}");
  }

  @Test
  void rawMapOrMapWithoutTypeArguments_saysToWriteThemOut() {
    Compilation compilation =
        compile(
            "  public static class ProductMap extends HashMap<String, Product> {}",
            "  @SuppressWarnings(\"rawtypes\")",
            "  @CachedBulk(key = \"raw:{skus}\")",
            "  public Map raw(List<String> skus) { return null; }",
            "  @CachedBulk(key = \"named:{skus}\")",
            "  public ProductMap named(List<String> skus) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@CachedBulk on raw(List<String>) must return a Map<id, value> with its type"
                + " arguments written out, but returns Map; the value type is what each entry is"
                + " read back as; declare the return type as a Map such as Map<String, Product>")
        .onLineContaining("raw:{skus}");
    assertThat(compilation)
        .hadErrorContaining(
            "@CachedBulk on named(List<String>) must return a Map<id, value> with its type"
                + " arguments written out, but returns ProductMap; the value type is what each"
                + " entry is read back as; declare the return type as Map<String, Product>")
        .onLineContaining("named:{skus}");
  }

  @Test
  void mapSubtypeWhoseSecondArgumentIsNotTheValue_namesTheMapToDeclare() {
    Compilation compilation =
        compile(
            "  public interface BySku<V> extends Map<String, V> {}",
            "  @CachedBulk(key = \"product:{skus}\")",
            "  public BySku<Product> products(List<String> skus) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@CachedBulk on products(List<String>) must return a Map<id, value>, but returns"
                + " BySku<Product>, whose second type argument is not the Map's value type;"
                + " declare the return type as Map<String, Product>")
        .onLineContaining("product:{skus}");
  }

  @Test
  void uncacheableValueType_isAnError() {
    Compilation compilation =
        compile(
            "  @CachedBulk(key = \"lines:{skus}\")",
            "  public Map<String, java.util.stream.Stream<String>> lines(List<String> skus) {",
            "    return null;",
            "  }",
            "  @CachedBulk(key = \"pending:{skus}\")",
            "  public Map<String, java.util.concurrent.CompletableFuture<Product>> pending(",
            "      List<String> skus) {",
            "    return null;",
            "  }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@CachedBulk on lines(List<String>) cannot be cached: a Stream<String> (each value of"
                + " Map<String, Stream<String>>) is consumed once, so every caller after the first"
                + " would get a used-up copy; return a List/array or the materialized value")
        .onLineContaining("lines:{skus}");
    assertThat(compilation)
        .hadErrorContaining(
            "@CachedBulk on pending(List<String>) cannot be cached: a CompletableFuture<Product>"
                + " (each value of Map<String, CompletableFuture<Product>>) is a handle on work in"
                + " progress, not its value; map each id to the value itself")
        .onLineContaining("pending:{skus}");
  }

  @Test
  void combinedWithCached_isAnError() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"products:{skus}\")",
            "  @CachedBulk(key = \"product:{skus}\")",
            "  public Map<String, Product> products(List<String> skus) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@CachedBulk on products(List<String>) cannot be combined with @Cached on one method;"
                + " keep one: @CachedBulk to cache each id's value under its own key, or @Cached"
                + " to cache the whole map under one key")
        .onLineContaining("@CachedBulk(key = \"product:{skus}\")");
  }

  @Test
  void key_namesNoCollectionParameter_saysWhichToName() {
    Compilation compilation =
        compile(
            "  @CachedBulk(ttl = \"1m\",",
            "              key = \"product:{region}\")",
            "  public Map<String, Product> products(List<String> skus, String region) {",
            "    return null;",
            "  }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@CachedBulk(key) on products(List<String>, String): names no parameter declared as"
                + " Collection, List or Set; name the ids parameter, as in \"product:{skus}\"")
        .onLineContaining("product:{region}");
  }

  @Test
  void key_onMethodWithoutCollectionParameter_saysToAddOne() {
    Compilation compilation =
        compile(
            "  @CachedBulk(key = \"product:{sku}\")",
            "  public Map<String, Product> product(String sku) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@CachedBulk(key) on product(String): names no parameter declared as Collection, List"
                + " or Set, and the method has none; add the ids as a List, Set or Collection"
                + " parameter and name it in the key, as in \"product:{ids}\"")
        .onLineContaining("product:{sku}");
  }

  @Test
  void key_namesAConcreteCollection_saysToDeclareTheInterface() {
    Compilation compilation =
        compile(
            "  @CachedBulk(key = \"product:{skus}\")",
            "  public Map<String, Product> products(ArrayList<String> skus) { return null; }",
            "  @CachedBulk(key = \"sorted:{skus}\")",
            "  public Map<String, Product> sorted(TreeSet<String> skus) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@CachedBulk(key) on products(ArrayList<String>): names skus, declared as"
                + " ArrayList<String>, but the ids parameter must be declared as exactly"
                + " Collection, List or Set, because the method is called with a new one holding"
                + " only the ids that missed; declare skus as List<String>")
        .onLineContaining("product:{skus}");
    assertThat(compilation)
        .hadErrorContaining("declare skus as Set<String>")
        .onLineContaining("sorted:{skus}");
  }

  @Test
  void key_namesTwoCollectionParameters_saysToNameOne() {
    Compilation compilation =
        compile(
            "  @CachedBulk(ttl = \"1m\",",
            "              key = \"stock:{warehouses}:{skus}\")",
            "  public Map<String, Long> stock(List<String> skus, Set<String> warehouses) {",
            "    return null;",
            "  }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@CachedBulk(key) on stock(List<String>, Set<String>): names two collection"
                + " parameters (warehouses, skus); name exactly one, whose elements are the ids,"
                + " and leave the other out of the key")
        .onLineContaining("stock:{warehouses}:{skus}");
  }

  @Test
  void key_anotherCollectionParameterLeftOut_isFine() {
    Compilation compilation =
        compile(
            ID,
            "  @CachedBulk(key = \"product:{ids.value}\")",
            "  public Map<Id, Product> products(List<String> fields, List<Id> ids) {",
            "    return null;",
            "  }");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void key_pathBelowTheIds_resolvesOnTheElementType() {
    Compilation compilation =
        compile(
            ID,
            "  @CachedBulk(key = \"product:{ids.valu}\")",
            "  public Map<Id, Product> products(Set<Id> ids) { return null; }",
            "  @CachedBulk(key = \"sku:{skus.length}\")",
            "  public Map<String, Product> bySku(List<String> skus) { return null; }",
            "  @SuppressWarnings(\"rawtypes\")",
            "  @CachedBulk(key = \"raw:{0.value}\")",
            "  public Map<Object, Product> raw(List ids) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 3)
        .hadErrorContaining(
            "@CachedBulk(key) on products(Set<Id>): cannot resolve 'valu' in {ids.valu}: no"
                + " property 'valu' on com.acme.Service.Id; readable properties: value. Did you"
                + " mean 'value'?")
        .onLineContaining("product:{ids.valu}");
    assertThat(compilation)
        .hadErrorContaining(
            "@CachedBulk(key) on bySku(List<String>): cannot resolve 'length' in {skus.length}:"
                + " no property 'length' on java.lang.String")
        .onLineContaining("sku:{skus.length}");
    assertThat(compilation)
        .hadErrorContaining(
            "@CachedBulk(key) on raw(List): cannot resolve 'value' in {0.value}: no property"
                + " 'value' on java.lang.Object, which has no readable properties")
        .onLineContaining("raw:{0.value}");
  }

  @Test
  void key_unknownName_isReportedOnceWithSuggestion() {
    Compilation compilation =
        compile(
            "  @CachedBulk(key = \"product:{sku}\")",
            "  public Map<String, Product> products(List<String> skus) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@CachedBulk(key) on products(List<String>): no parameter named 'sku'; available:"
                + " skus. Did you mean 'skus'?")
        .onLineContaining("product:{sku}");
  }

  @Test
  void key_result_isNotAvailable() {
    Compilation compilation =
        compile(
            "  @CachedBulk(key = \"product:{skus}:{result.sku}\")",
            "  public Map<String, Product> products(List<String> skus) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@CachedBulk(key) on products(List<String>): {result} is not available: @CachedBulk"
                + " needs the key of each id before the method runs; use the ids parameter and"
                + " other parameters")
        .onLineContaining("product:{skus}:{result.sku}");
  }

  @Test
  void key_emptyOrUnparseable_saysWhatIsWrong() {
    Compilation compilation =
        compile(
            "  @CachedBulk(key = \"\")",
            "  public Map<String, Product> products(List<String> skus) { return null; }",
            "  @CachedBulk(key = \"product:{skus\")",
            "  public Map<String, Product> open(List<String> skus) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@CachedBulk(key) on products(List<String>): the key is empty; it must name the ids"
                + " parameter, which stands for one id, as in \"product:{skus}\"")
        .onLineContaining("key = \"\"");
    assertThat(compilation)
        .hadErrorContaining("@CachedBulk(key) on open(List<String>): ")
        .onLineContaining("product:{skus\"");
  }

  @Test
  void ttlAndJitter_areCheckedAsInCached() {
    Compilation compilation =
        compile(
            "  @CachedBulk(key = \"p:{skus}\",",
            "              ttl = \"10 minutes\",",
            "              jitter = \"0s\")",
            "  public Map<String, Product> products(List<String> skus) { return null; }",
            "  @CachedBulk(key = \"q:{skus}\", ttl = \"${weft.ttl.products}\")",
            "  public Map<String, Product> unset(List<String> skus) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadErrorContaining(
            "@CachedBulk(ttl) on products(List<String>): \"10 minutes\" is not a duration; use "
                + DurationSyntax.ACCEPTED_FORMS)
        .onLineContaining("10 minutes");
    assertThat(compilation)
        .hadErrorContaining(
            "@CachedBulk(jitter) on products(List<String>): \"0s\" must be greater than zero")
        .onLineContaining("jitter = \"0s\"");
    assertThat(compilation)
        .hadWarningContaining(
            "@CachedBulk(ttl) on unset(List<String>): ${weft.ttl.products} has no default")
        .onLineContaining("${weft.ttl.products}");
  }

  @Test
  void mapKeysThatCanNeverEqualTheIds_areWarnedAbout() {
    Compilation compilation =
        compile(
            ID,
            "  @CachedBulk(key = \"product:{skus}\")",
            "  public Map<Long, Product> products(List<String> skus) { return null; }",
            "  @CachedBulk(key = \"id:{ids.value}\", cacheNulls = false)",
            "  public Map<Runnable, Product> byId(List<? extends Id> ids) { return null; }",
            "  @CachedBulk(key = \"text:{texts}\")",
            "  public Map<Comparable<String>, Product> byText(List<CharSequence> texts) {",
            "    return null;",
            "  }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 0)
        .hasCount(Diagnostic.Kind.WARNING, 2)
        .hadWarningContaining(
            "@CachedBulk on products(List<String>): the returned map's keys are Long, but the ids"
                + " in skus are String; each id's value is found with map.get(id), so none would"
                + " be found and every id would be cached as absent; return Map<String, Product>")
        .onLineContaining("product:{skus}");
    assertThat(compilation)
        .hadWarningContaining(
            "the returned map's keys are Runnable, but the ids in ids are Id; each id's value is"
                + " found with map.get(id), so none would be found and every call would return an"
                + " empty map; return Map<Id, Product>")
        .onLineContaining("id:{ids.value}");
  }

  @Test
  void abstractMethod_warnsAndStillChecksTheKey() {
    String repository =
        String.join(
            "\n",
            "package com.acme;",
            "import dev.weft.annotation.CachedBulk;",
            "import java.util.*;",
            "public interface Repository {",
            "  @CachedBulk(key = \"r:{idz}\")",
            "  Map<Long, String> names(Set<Long> ids);",
            "}",
            "");
    Compilation compilation =
        TestCompiler.withProcessors(new WeftProcessor()).outputTo(out).compile(repository);

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadWarningContaining(
            "@CachedBulk on names(Set<Long>) has no effect: the method is abstract and Weft"
                + " weaves only method bodies; put @CachedBulk on the implementing method")
        .onLineContaining("r:{idz}");
    assertThat(compilation)
        .hadErrorContaining("no parameter named 'idz'; available: ids. Did you mean 'ids'?")
        .onLineContaining("r:{idz}");
  }

  @Test
  void severalMistakesOnOneMethod_areAllReportedInOneCompilation() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"all:{skus}\")",
            "  @CachedBulk(key = \"product:{skus}:{warehouses}:{result}\",",
            "              ttl = \"0s\",",
            "              jitter = \"-1s\")",
            "  public Map<String, Iterator<Product>> stock(List<String> skus, Set<String> warehouses) {",
            "    return null;",
            "  }",
            "  @CachedBulk(key = \"next:{region}\")",
            "  public void next(String region) {}");

    assertThat(compilation).failed().hasCount(Diagnostic.Kind.ERROR, 8);
    String stock = "stock(List<String>, Set<String>)";
    assertThat(compilation)
        .hadErrorContaining("@CachedBulk on " + stock + " cannot be combined with @Cached")
        .onLineContaining("product:{skus}:{warehouses}");
    assertThat(compilation)
        .hadErrorContaining("@CachedBulk(key) on " + stock + ": {result} is not available")
        .onLineContaining("{warehouses}:{result}");
    assertThat(compilation)
        .hadErrorContaining("@CachedBulk(key) on " + stock + ": names two collection parameters")
        .onLineContaining("{warehouses}:{result}");
    assertThat(compilation)
        .hadErrorContaining(
            "@CachedBulk on " + stock + " cannot be cached: an Iterator<Product> (each value of")
        .onLineContaining("product:{skus}:{warehouses}");
    assertThat(compilation)
        .hadErrorContaining("@CachedBulk(ttl) on " + stock + ": \"0s\" must be greater than zero")
        .onLineContaining("ttl = \"0s\"");
    assertThat(compilation)
        .hadErrorContaining("@CachedBulk(jitter) on " + stock + ": \"-1s\" is not a duration")
        .onLineContaining("jitter = \"-1s\"");
    assertThat(compilation)
        .hadErrorContaining("@CachedBulk(key) on next(String): names no parameter declared as")
        .onLineContaining("next:{region}");
    assertThat(compilation)
        .hadErrorContaining("@CachedBulk on next(String) has nothing to cache (it returns void)")
        .onLineContaining("next:{region}");
  }
}
