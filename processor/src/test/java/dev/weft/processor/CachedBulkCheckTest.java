package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.syntax.DurationSyntax;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

  /**
   * A source whose mistakes are all errors: every error it gives, each with its message and the
   * line it points at, and no other error.
   *
   * @param behaviour what the row shows, as a test name
   * @param source the members of the service, one a line
   * @param errors every error, in no particular order
   */
  record Mistakes(String behaviour, List<String> source, List<ErrorOnLine> errors) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  /**
   * @param message what the error's message contains
   * @param line what the one source line it points at contains
   */
  record ErrorOnLine(String message, String line) {}

  private static Mistakes mistakes(String behaviour, List<String> source, ErrorOnLine... errors) {
    return new Mistakes(behaviour, source, List.of(errors));
  }

  private static ErrorOnLine error(String message, String line) {
    return new ErrorOnLine(message, line);
  }

  static Stream<Mistakes> mistakesAndTheirErrors() {
    return Stream.of(
        mistakes(
            "voidMethod_hasNothingToCache",
            List.of(
                "  @CachedBulk(key = \"product:{skus}\")",
                "  public void warm(List<String> skus) {}"),
            error(
                "@CachedBulk on warm(List<String>) has nothing to cache (it returns void); return"
                    + " a Map from each id to its value, as in Map<String, Product>",
                "product:{skus}")),
        mistakes(
            "returnTypeNotAMap_saysAMapIsNeeded",
            List.of(
                "  @CachedBulk(key = \"product:{skus}\")",
                "  public List<Product> products(List<String> skus) { return null; }",
                "  @CachedBulk(key = \"async:{skus}\")",
                "  public java.util.concurrent.CompletableFuture<Map<String, Product>> async(",
                "      List<String> skus) {",
                "    return null;",
                "  }"),
            error(
                "@CachedBulk on products(List<String>) must return a Map<id, value>, but returns"
                    + " List<Product>; return a Map from each id to its value, as in Map<String,"
                    + " Product>",
                "product:{skus}"),
            error(
                "@CachedBulk on async(List<String>) must return a Map<id, value>, but returns"
                    + " CompletableFuture<Map<String, Product>>",
                "async:{skus}")),
        mistakes(
            "rawMapOrMapWithoutTypeArguments_saysToWriteThemOut",
            List.of(
                "  public static class ProductMap extends HashMap<String, Product> {}",
                "  @SuppressWarnings(\"rawtypes\")",
                "  @CachedBulk(key = \"raw:{skus}\")",
                "  public Map raw(List<String> skus) { return null; }",
                "  @CachedBulk(key = \"named:{skus}\")",
                "  public ProductMap named(List<String> skus) { return null; }"),
            error(
                "@CachedBulk on raw(List<String>) must return a Map<id, value> with its type"
                    + " arguments written out, but returns Map; the value type is what each entry"
                    + " is read back as; declare the return type as a Map such as Map<String,"
                    + " Product>",
                "raw:{skus}"),
            error(
                "@CachedBulk on named(List<String>) must return a Map<id, value> with its type"
                    + " arguments written out, but returns ProductMap; the value type is what each"
                    + " entry is read back as; declare the return type as Map<String, Product>",
                "named:{skus}")),
        mistakes(
            "mapSubtypeWhoseSecondArgumentIsNotTheValue_namesTheMapToDeclare",
            List.of(
                "  public interface BySku<V> extends Map<String, V> {}",
                "  @CachedBulk(key = \"product:{skus}\")",
                "  public BySku<Product> products(List<String> skus) { return null; }"),
            error(
                "@CachedBulk on products(List<String>) must return a Map<id, value>, but returns"
                    + " BySku<Product>, whose second type argument is not the Map's value type;"
                    + " declare the return type as Map<String, Product>",
                "product:{skus}")),
        mistakes(
            "uncacheableValueType_isAnError",
            List.of(
                "  @CachedBulk(key = \"lines:{skus}\")",
                "  public Map<String, java.util.stream.Stream<String>> lines(List<String> skus) {",
                "    return null;",
                "  }",
                "  @CachedBulk(key = \"pending:{skus}\")",
                "  public Map<String, java.util.concurrent.CompletableFuture<Product>> pending(",
                "      List<String> skus) {",
                "    return null;",
                "  }"),
            error(
                "@CachedBulk on lines(List<String>) cannot be cached: a Stream<String> (each value"
                    + " of Map<String, Stream<String>>) is consumed once, so every caller after"
                    + " the first would get a used-up copy; return a List/array or the"
                    + " materialized value",
                "lines:{skus}"),
            error(
                "@CachedBulk on pending(List<String>) cannot be cached: a"
                    + " CompletableFuture<Product> (each value of Map<String,"
                    + " CompletableFuture<Product>>) is a handle on work in progress, not its"
                    + " value; map each id to the value itself",
                "pending:{skus}")),
        mistakes(
            "combinedWithCached_isAnError",
            List.of(
                "  @Cached(key = \"products:{skus}\")",
                "  @CachedBulk(key = \"product:{skus}\")",
                "  public Map<String, Product> products(List<String> skus) { return null; }"),
            error(
                "@CachedBulk on products(List<String>) cannot be combined with @Cached on one"
                    + " method; keep one: @CachedBulk to cache each id's value under its own key,"
                    + " or @Cached to cache the whole map under one key",
                "@CachedBulk(key = \"product:{skus}\")")),
        mistakes(
            "key_namesNoCollectionParameter_saysWhichToName",
            List.of(
                "  @CachedBulk(ttl = \"1m\",",
                "              key = \"product:{region}\")",
                "  public Map<String, Product> products(List<String> skus, String region) {",
                "    return null;",
                "  }"),
            error(
                "@CachedBulk(key) on products(List<String>, String): names no parameter declared"
                    + " as Collection, List or Set; name the ids parameter, as in"
                    + " \"product:{skus}\"",
                "product:{region}")),
        mistakes(
            "key_onMethodWithoutCollectionParameter_saysToAddOne",
            List.of(
                "  @CachedBulk(key = \"product:{sku}\")",
                "  public Map<String, Product> product(String sku) { return null; }"),
            error(
                "@CachedBulk(key) on product(String): names no parameter declared as Collection,"
                    + " List or Set, and the method has none; add the ids as a List, Set or"
                    + " Collection parameter and name it in the key, as in \"product:{ids}\"",
                "product:{sku}")),
        mistakes(
            "key_namesAConcreteCollection_saysToDeclareTheInterface",
            List.of(
                "  @CachedBulk(key = \"product:{skus}\")",
                "  public Map<String, Product> products(ArrayList<String> skus) { return null; }",
                "  @CachedBulk(key = \"sorted:{skus}\")",
                "  public Map<String, Product> sorted(TreeSet<String> skus) { return null; }"),
            error(
                "@CachedBulk(key) on products(ArrayList<String>): names skus, declared as"
                    + " ArrayList<String>, but the ids parameter must be declared as exactly"
                    + " Collection, List or Set, because the method is called with a new one"
                    + " holding only the ids that missed; declare skus as List<String>",
                "product:{skus}"),
            error("declare skus as Set<String>", "sorted:{skus}")),
        mistakes(
            "key_namesTwoCollectionParameters_saysToNameOne",
            List.of(
                "  @CachedBulk(ttl = \"1m\",",
                "              key = \"stock:{warehouses}:{skus}\")",
                "  public Map<String, Long> stock(List<String> skus, Set<String> warehouses) {",
                "    return null;",
                "  }"),
            error(
                "@CachedBulk(key) on stock(List<String>, Set<String>): names two collection"
                    + " parameters (warehouses, skus); name exactly one, whose elements are the"
                    + " ids, and leave the other out of the key",
                "stock:{warehouses}:{skus}")),
        mistakes(
            "key_pathBelowTheIds_resolvesOnTheElementType",
            List.of(
                ID,
                "  @CachedBulk(key = \"product:{ids.valu}\")",
                "  public Map<Id, Product> products(Set<Id> ids) { return null; }",
                "  @CachedBulk(key = \"sku:{skus.length}\")",
                "  public Map<String, Product> bySku(List<String> skus) { return null; }",
                "  @SuppressWarnings(\"rawtypes\")",
                "  @CachedBulk(key = \"raw:{0.value}\")",
                "  public Map<Object, Product> raw(List ids) { return null; }"),
            error(
                "@CachedBulk(key) on products(Set<Id>): cannot resolve 'valu' in {ids.valu}: no"
                    + " property 'valu' on com.acme.Service.Id; readable properties: value. Did"
                    + " you mean 'value'?",
                "product:{ids.valu}"),
            error(
                "@CachedBulk(key) on bySku(List<String>): cannot resolve 'length' in"
                    + " {skus.length}: no property 'length' on java.lang.String",
                "sku:{skus.length}"),
            error(
                "@CachedBulk(key) on raw(List): cannot resolve 'value' in {0.value}: no property"
                    + " 'value' on java.lang.Object, which has no readable properties",
                "raw:{0.value}")),
        mistakes(
            "key_unknownName_isReportedOnceWithSuggestion",
            List.of(
                "  @CachedBulk(key = \"product:{sku}\")",
                "  public Map<String, Product> products(List<String> skus) { return null; }"),
            error(
                "@CachedBulk(key) on products(List<String>): no parameter named 'sku'; available:"
                    + " skus. Did you mean 'skus'?",
                "product:{sku}")),
        mistakes(
            "key_result_isNotAvailable",
            List.of(
                "  @CachedBulk(key = \"product:{skus}:{result.sku}\")",
                "  public Map<String, Product> products(List<String> skus) { return null; }"),
            error(
                "@CachedBulk(key) on products(List<String>): {result} is not available:"
                    + " @CachedBulk needs the key of each id before the method runs; use the ids"
                    + " parameter and other parameters",
                "product:{skus}:{result.sku}")),
        mistakes(
            "key_emptyOrUnparseable_saysWhatIsWrong",
            List.of(
                "  @CachedBulk(key = \"\")",
                "  public Map<String, Product> products(List<String> skus) { return null; }",
                "  @CachedBulk(key = \"product:{skus\")",
                "  public Map<String, Product> open(List<String> skus) { return null; }"),
            error(
                "@CachedBulk(key) on products(List<String>): the key is empty; it must name the"
                    + " ids parameter, which stands for one id, as in \"product:{skus}\"",
                "key = \"\""),
            error("@CachedBulk(key) on open(List<String>): ", "product:{skus\"")),
        mistakes(
            "severalMistakesOnOneMethod_areAllReportedInOneCompilation",
            List.of(
                "  @Cached(key = \"all:{skus}\")",
                "  @CachedBulk(key = \"product:{skus}:{warehouses}:{result}\",",
                "              ttl = \"0s\",",
                "              jitter = \"-1s\")",
                "  public Map<String, Iterator<Product>> stock(List<String> skus,"
                    + " Set<String> warehouses) {",
                "    return null;",
                "  }",
                "  @CachedBulk(key = \"next:{region}\")",
                "  public void next(String region) {}"),
            error(
                "@CachedBulk on stock(List<String>, Set<String>) cannot be combined with @Cached",
                "product:{skus}:{warehouses}"),
            error(
                "@CachedBulk(key) on stock(List<String>, Set<String>): {result} is not available",
                "{warehouses}:{result}"),
            error(
                "@CachedBulk(key) on stock(List<String>, Set<String>): names two collection"
                    + " parameters",
                "{warehouses}:{result}"),
            error(
                "@CachedBulk on stock(List<String>, Set<String>) cannot be cached: an"
                    + " Iterator<Product> (each value of",
                "product:{skus}:{warehouses}"),
            error(
                "@CachedBulk(ttl) on stock(List<String>, Set<String>): \"0s\" must be greater than"
                    + " zero",
                "ttl = \"0s\""),
            error(
                "@CachedBulk(jitter) on stock(List<String>, Set<String>): \"-1s\" is not a"
                    + " duration",
                "jitter = \"-1s\""),
            error(
                "@CachedBulk(key) on next(String): names no parameter declared as",
                "next:{region}"),
            error(
                "@CachedBulk on next(String) has nothing to cache (it returns void)",
                "next:{region}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakesAndTheirErrors")
  void mistakes_areErrorsOnTheirLines(Mistakes mistakes) {
    Compilation compilation = compile(mistakes.source().toArray(String[]::new));

    assertThat(compilation).failed().hasCount(Diagnostic.Kind.ERROR, mistakes.errors().size());
    for (ErrorOnLine error : mistakes.errors()) {
      assertThat(compilation).hadErrorContaining(error.message()).onLineContaining(error.line());
    }
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
    Compilation compilation =
        TestSources.compile(
            out,
            TestSources.type(
                "public interface Repository",
                "  @CachedBulk(key = \"r:{idz}\")",
                "  Map<Long, String> names(Set<Long> ids);"));

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
}
