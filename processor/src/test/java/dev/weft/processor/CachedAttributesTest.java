package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;

import dev.weft.syntax.DurationSyntax;
import java.nio.file.Path;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks of {@code @Cached}'s tags, durations and property references, each with its message
 * and line. ({@link CachedCheckTest} covers key, ttl as a duration and the method's shape.)
 */
class CachedAttributesTest {

  @TempDir Path out;

  private Compilation compile(String... lines) {
    return TestSources.compileService(out, lines);
  }

  @Test
  void tags_eachEntryIsCheckedLikeTheKey_andTheErrorPointsAtTheEntry() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"customer:{id}\",",
            "          tags = {\"all-customers\",",
            "                  \"region:{regon}\",",
            "                  \"{3}\",",
            "                  \"name:{customer.nme}\"})",
            "  public Customer find(long id, String region, Customer customer) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 3)
        .hadErrorContaining(
            "@Cached(tags) on find(long, String, Customer): no parameter named 'regon'; available:"
                + " id, region, customer. Did you mean 'region'?")
        .onLineContaining("region:{regon}");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached(tags) on find(long, String, Customer): {3} is out of range")
        .onLineContaining("\"{3}\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached(tags) on find(long, String, Customer): cannot resolve 'nme' in"
                + " {customer.nme}: no property 'nme' on com.acme.Model.Customer")
        .onLineContaining("name:{customer.nme}");
  }

  @Test
  void tags_emptyEntry_isAnError() {
    Compilation compilation =
        compile("  @Cached(tags = \"\")", "  public Customer find(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Cached(tags) on find(long): an empty tag names nothing; write a template such as"
                + " \"category:{id}\", or remove the empty entry")
        .onLineContaining("tags = \"\"");
  }

  @Test
  void result_isNotAvailableInCached() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"c:{id}\", tags = \"owner:{result.name}\")",
            "  public Customer find(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Cached(tags) on find(long): {result} is not available: @Cached needs its key and"
                + " tags before the method runs; use the parameters, or tag the entry with"
                + " @WriteThrough, which can use the result")
        .onLineContaining("owner:{result.name}");
  }

  @Test
  void jitterAndStaleWhileRevalidate_emptyOrPositive() {
    Compilation compilation =
        compile(
            "  @Cached(jitter = \"0s\",",
            "          staleWhileRevalidate = \"5 minutes\")",
            "  public Customer find(long id) { return null; }",
            "  @Cached(jitter = \"\", staleWhileRevalidate = \" \")",
            "  public Customer none(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@Cached(jitter) on find(long): \"0s\" must be greater than zero; use "
                + DurationSyntax.ACCEPTED_FORMS
                + ", or leave jitter empty for none")
        .onLineContaining("jitter = \"0s\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached(staleWhileRevalidate) on find(long): \"5 minutes\" is not a duration; use "
                + DurationSyntax.ACCEPTED_FORMS
                + ", or leave staleWhileRevalidate empty for none")
        .onLineContaining("5 minutes");
  }

  /** The runtime reads every duration attribute the same way, property references included. */
  @Test
  void everyDuration_mayBeAPropertyReference_checkedLikeTtl() {
    Compilation compilation =
        compile(
            "  @Cached(jitter = \"${weft.jitter:1s}\",",
            "          staleWhileRevalidate = \"${weft.stale:PT1M}\")",
            "  public Customer fine(long id) { return null; }",
            "  @Cached(jitter = \"${weft.jitter}\",",
            "          loadTimeout = \"${weft.load:0s}\")",
            "  public Customer wrong(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadWarningContaining(
            "@Cached(jitter) on wrong(long): ${weft.jitter} has no default: the method fails at"
                + " first call if the property is not set; add a default, as in"
                + " ${weft.jitter:30s}")
        .onLineContaining("${weft.jitter}\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached(loadTimeout) on wrong(long): the default of \"${weft.load:0s}\" is invalid:"
                + " \"0s\" must be greater than zero")
        .onLineContaining("${weft.load:0s}");
  }

  @Test
  void loadTimeout_mustBePositive() {
    Compilation compilation =
        compile(
            "  @Cached(loadTimeout = \"\")",
            "  public Customer empty(long id) { return null; }",
            "  @Cached(loadTimeout = \"PT-1S\")",
            "  public Customer negative(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@Cached(loadTimeout) on empty(long): \"\" is not a duration; use "
                + DurationSyntax.ACCEPTED_FORMS)
        .onLineContaining("loadTimeout = \"\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached(loadTimeout) on negative(long): \"PT-1S\" must be greater than zero")
        .onLineContaining("PT-1S");
  }

  @Test
  void ttl_propertyWithDefault_isAccepted() {
    Compilation compilation =
        compile(
            "  @Cached(ttl = \"${weft.ttl.users:10m}\")",
            "  public Customer users(long id) { return null; }",
            "  @Cached(ttl = \"${CACHE_TTL-2:PT5M}\")",
            "  public Customer iso(long id) { return null; }");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void ttl_propertyWithoutDefault_isAWarningThatSuggestsOne() {
    Compilation compilation =
        compile(
            "  @Cached(ttl = \"${weft.ttl.users}\")",
            "  public Customer users(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 0)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadWarningContaining(
            "@Cached(ttl) on users(long): ${weft.ttl.users} has no default: the method fails at"
                + " first call if the property is not set; add a default, as in"
                + " ${weft.ttl.users:10m}")
        .onLineContaining("${weft.ttl.users}");
  }

  @Test
  void ttl_propertyWithInvalidDefault_isAnError() {
    Compilation compilation =
        compile(
            "  @Cached(ttl = \"${weft.ttl:10 minutes}\")",
            "  public Customer words(long id) { return null; }",
            "  @Cached(ttl = \"${weft.ttl:0s}\")",
            "  public Customer zero(long id) { return null; }",
            "  @Cached(ttl = \"${weft.ttl:}\")",
            "  public Customer empty(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 3)
        .hadErrorContaining(
            "@Cached(ttl) on words(long): the default of \"${weft.ttl:10 minutes}\" is invalid:"
                + " \"10 minutes\" is not a duration; use "
                + DurationSyntax.ACCEPTED_FORMS)
        .onLineContaining("${weft.ttl:10 minutes}");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached(ttl) on zero(long): the default of \"${weft.ttl:0s}\" is invalid: \"0s\" must"
                + " be greater than zero")
        .onLineContaining("${weft.ttl:0s}");
    assertThat(compilation)
        .hadErrorContaining("@Cached(ttl) on empty(long): the default of \"${weft.ttl:}\" is invalid")
        .onLineContaining("${weft.ttl:}");
  }

  @Test
  void ttl_malformedProperty_statesTheGrammar() {
    Compilation compilation =
        compile(
            "  @Cached(ttl = \"${weft ttl:10m}\")",
            "  public Customer space(long id) { return null; }",
            "  @Cached(ttl = \"${}\")",
            "  public Customer nameless(long id) { return null; }",
            "  @Cached(ttl = \"${weft.ttl:10m\")",
            "  public Customer unclosed(long id) { return null; }",
            "  @Cached(ttl = \"ttl-${weft.ttl:10m}\")",
            "  public Customer prefixed(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 4)
        .hadErrorContaining(
            "@Cached(ttl) on space(long): \"${weft ttl:10m}\" is not a property reference; write"
                + " ${name} or ${name:default}, where the name is letters, digits, '.', '_' or '-'"
                + " and the default a duration, as in ${weft.ttl.users:10m}")
        .onLineContaining("${weft ttl:10m}");
    assertThat(compilation)
        .hadErrorContaining("@Cached(ttl) on nameless(long): \"${}\" is not a property reference")
        .onLineContaining("\"${}\"");
    assertThat(compilation)
        .hadErrorContaining("@Cached(ttl) on unclosed(long): \"${weft.ttl:10m\" is not a property")
        .onLineContaining("\"${weft.ttl:10m\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached(ttl) on prefixed(long): \"ttl-${weft.ttl:10m}\" is not a property reference")
        .onLineContaining("ttl-${weft.ttl:10m}");
  }

  @Test
  void ttl_notADuration_alsoOffersAPropertyReference() {
    Compilation compilation =
        compile("  @Cached(ttl = \"forever\")", "  public Customer find(long id) { return null; }");

    assertThat(compilation)
        .hadErrorContaining(
            "@Cached(ttl) on find(long): \"forever\" is not a duration; use "
                + DurationSyntax.ACCEPTED_FORMS
                + ", or a property with a default, as in ${weft.ttl.users:10m}")
        .onLineContaining("forever");
  }

  @Test
  void everyAttribute_correct_compilesWithoutErrorsOrWarnings() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"customer:{id}\",",
            "          ttl = \"${weft.ttl.customers:10m}\",",
            "          jitter = \"30s\",",
            "          tags = {\"customers\", \"region:{region}\", \"{1}\"},",
            "          cacheNulls = false,",
            "          staleWhileRevalidate = \"PT1M\",",
            "          earlyRefresh = true,",
            "          near = true,",
            "          loadTimeout = \"5s\")",
            "  public Customer find(long id, String region) { return null; }");

    assertThat(compilation).succeededWithoutWarnings();
  }
}
