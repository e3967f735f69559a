package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code @Counted} checks, single and repeated, each with its message and line. */
class CountedCheckTest {

  @TempDir Path out;

  private Compilation compile(String... lines) {
    return TestSources.compileService(out, lines);
  }

  @Test
  void everyAttributeInUse_repeatedAndCombined_compilesWithoutWarnings() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"views:{page}\")",
            "  @Counted(key = \"views\", name = \"site.views\", granularity = Counted.Granularity.HOUR,",
            "      retention = \"${weft.views.retention:30d}\")",
            "  public String view(String page) { return page; }",
            "  @Counted(key = \"checkout:{customer.id}:ok\", outcome = Counted.Outcome.SUCCESS)",
            "  @Counted(key = \"checkout:{customer.id}:failed\", outcome = Counted.Outcome.FAILURE,",
            "      granularity = Counted.Granularity.DAY, retention = \"P400D\")",
            "  @RateLimited(key = \"checkout:{customer.id}\", permits = 5, window = \"1m\")",
            "  @Cached(key = \"receipt:{customer.id}\", ttl = \"1m\")",
            "  public java.util.concurrent.CompletableFuture<Product> checkout(Customer customer) {",
            "    return null;",
            "  }",
            "  @Counted(key = \"pings\", granularity = Counted.Granularity.SECOND, retention = \"1s\")",
            "  public void ping() {}");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void key_namesAnUnknownParameter_isAnErrorOnTheKey_withTheNearestName() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"views:{pgae}\")",
            "  public String view(String page) { return page; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Counted(key) on view(String): no parameter named 'pgae'; available: page. Did you"
                + " mean 'page'?")
        .onLineContaining("views:{pgae}");
  }

  @Test
  void key_propertyPathAndPosition_areResolvedOnTheDeclaredTypes() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"orders:{customer.nme}\") // path",
            "  public void order(Customer customer) {}",
            "  @Counted(key = \"orders:{1}\") // position",
            "  public void other(Customer customer) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@Counted(key) on order(Customer): cannot resolve 'nme' in {customer.nme}")
        .onLineContaining("// path");
    assertThat(compilation)
        .hadErrorContaining(
            "@Counted(key) on other(Customer): {1} is out of range: other(Customer) has 1"
                + " parameter, so the only position is {0}")
        .onLineContaining("// position");
  }

  @Test
  void key_result_isNotAvailable() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"views:{result}\")",
            "  public String view(String page) { return page; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Counted(key) on view(String): {result} is not available: @Counted counts calls that"
                + " fail or are refused too, which have no result; use the parameters")
        .onLineContaining("views:{result}");
  }

  @Test
  void key_emptyOrUnparsable_isAnErrorOnTheKey() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"\") // empty",
            "  public void a(String page) {}",
            "  @Counted(key = \"views:{page\") // unclosed",
            "  public void b(String page) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@Counted(key) on a(String): an empty key names nothing to count; give a template such"
                + " as \"views:{page}\", or a fixed text such as \"views\" for one count of every"
                + " call")
        .onLineContaining("// empty");
    assertThat(compilation)
        .hadErrorContaining("@Counted(key) on b(String): ")
        .onLineContaining("// unclosed");
  }

  @Test
  void name_notACounterName_isAnErrorOnTheName() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"views\", name = \"page views\")",
            "  public void view() {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Counted(name) on view(): a counter's name must be 1 to 64 letters, digits, '.', '_'"
                + " or '-', such as \"page-views\", was \"page views\"")
        .onLineContaining("page views");
  }

  @Test
  void retention_notADuration_isAnErrorOnTheRetention() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"views\", retention = \"a week\")",
            "  public void view() {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Counted(retention) on view(): \"a week\" is not a duration; use a whole number with a"
                + " unit")
        .onLineContaining("a week");
    assertThat(compilation)
        .hadErrorContaining("or leave retention empty for the granularity's default");
  }

  @Test
  void retention_notWholeSeconds_isAnError_alsoAsAPropertysDefault() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"a\", retention = \"500ms\")",
            "  public void a() {}",
            "  @Counted(key = \"b\", retention = \"1500ms\")",
            "  public void b() {}",
            "  @Counted(key = \"c\", retention = \"${weft.retention:900ms}\")",
            "  public void c() {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 3)
        .hadErrorContaining(
            "@Counted(retention) on a(): \"500ms\" is not a whole number of seconds of at least"
                + " 1 s, which is how long Redis keeps a bucket; use seconds or longer units, as in"
                + " \"1d\"")
        .onLineContaining("\"500ms\"");
    assertThat(compilation)
        .hadErrorContaining("@Counted(retention) on b(): \"1500ms\" is not a whole number")
        .onLineContaining("\"1500ms\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Counted(retention) on c(): the default of \"${weft.retention:900ms}\" is invalid:"
                + " \"900ms\" is not a whole number of seconds")
        .onLineContaining("weft.retention:900ms");
  }

  @Test
  void retention_propertyWithoutDefault_isAWarning() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"views\", retention = \"${weft.retention}\")",
            "  public void view() {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 0)
        .hadWarningContaining(
            "@Counted(retention) on view(): ${weft.retention} has no default: the method fails at"
                + " first call if the property is not set; add a default, as in"
                + " ${weft.retention:1d}")
        .onLineContaining("weft.retention");
  }

  @Test
  void repeated_sameSeriesTwice_isAnErrorOnTheRepeat() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"views:{page}\")",
            "  @Counted(key = \"views:{page}\", name = \"other\")",
            "  @Counted(key = \"views:{page}\", granularity = Counted.Granularity.HOUR)",
            "  @Counted(key = \"views:{page}\", outcome = Counted.Outcome.FAILURE) // again",
            "  public void view(String page) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Counted(key) on view(String): counts into the same series as an earlier @Counted on"
                + " this method (name \"calls\", MINUTE), so a call would count twice; give it"
                + " another key or name, or remove one")
        .onLineContaining("// again");
  }

  @Test
  void repeated_eachAttributeErrorPointsAtItsOwnAnnotation() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"views\")",
            "  @Counted(key = \"views:{pgae}\")",
            "  @Counted(key = \"total\", retention = \"1x\")",
            "  public void view(String page) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining("@Counted(key) on view(String): no parameter named 'pgae'")
        .onLineContaining("views:{pgae}");
    assertThat(compilation)
        .hadErrorContaining("@Counted(retention) on view(String): \"1x\" is not a duration")
        .onLineContaining("\"1x\"");
  }

  @Test
  void onAnAbstractMethod_isAWarning_attributesStillChecked() {
    Compilation compilation =
        TestSources.compile(
            out,
            TestSources.type(
                "public interface Pages",
                "  @Counted(key = \"views:{pgae}\")",
                "  String view(String page);"));

    assertThat(compilation)
        .hadWarningContaining(
            "@Counted on view(String) has no effect: the method is abstract and Weft weaves only"
                + " method bodies; put @Counted on the implementing method")
        .onLineContaining("views:{pgae}");
    assertThat(compilation)
        .hadErrorContaining("@Counted(key) on view(String): no parameter named 'pgae'");
  }

  @Test
  void parameterNamesAndWovenIndex_coverCountedMethods() {
    Compilation compilation =
        compile(
            "  @Counted(key = \"views:{page}\")",
            "  @Counted(key = \"views\")",
            "  public String view(String page, int size) { return page; }");

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(
            compilation
                .resource(ParameterNamesFile.FOLDER + "com.acme.Service.properties")
                .lines()
                .filter(line -> !line.startsWith("#")))
        .containsExactly("view(java.lang.String,int)=page,size");
    assertThat(compilation.resource(WovenClassesFile.PATH).lines())
        .contains("com.acme.Service");
  }
}
