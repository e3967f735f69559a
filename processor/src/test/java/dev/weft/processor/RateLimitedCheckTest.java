package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code @RateLimited} checks, single and repeated, each with its message and line. */
class RateLimitedCheckTest {

  @TempDir Path out;

  private Compilation compile(String... lines) {
    return TestSources.compileService(out, lines);
  }

  @Test
  void twoLimitsAndAWaitingOne_compileWithoutWarnings() {
    Compilation compilation =
        compile(
            "  @RateLimited(key = \"api:{userId}\", permits = 10, window = \"1s\")",
            "  @RateLimited(key = \"api:{userId}\", permits = 1000, window = \"1h\",",
            "      algorithm = RateLimitAlgorithm.SLIDING_WINDOW_LOG)",
            "  public String quote(String userId, String symbol) { return symbol; }",
            "  @RateLimited(permits = 5, window = \"${weft.export.window:1m}\",",
            "      onLimit = RateLimited.OnLimit.WAIT, maxWait = \"2s\")",
            "  public void export(Customer customer) {}");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void permits_zero_isAnErrorOnPermits() {
    Compilation compilation =
        compile(
            "  @RateLimited(permits = 0, window = \"1s\")",
            "  public String quote(String userId, String symbol) { return symbol; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@RateLimited(permits) on quote(String, String): permits must be at least 1; got 0,"
                + " give how many calls one window allows, as in permits = 10")
        .onLineContaining("permits = 0");
  }

  @Test
  void permits_aboveLogMaximum_withSlidingWindowLog_isAnErrorOnPermits() {
    Compilation compilation =
        compile(
            "  @RateLimited(window = \"1h\", algorithm = RateLimitAlgorithm.SLIDING_WINDOW_LOG,",
            "      permits = 1_000_000)",
            "  public String quote(String userId, String symbol) { return symbol; }",
            "  @RateLimited(permits = 10_000, window = \"1h\",",
            "      algorithm = RateLimitAlgorithm.SLIDING_WINDOW_LOG)",
            "  public void atTheMaximum(String userId) {}",
            "  @RateLimited(permits = 1_000_000, window = \"1h\",",
            "      algorithm = RateLimitAlgorithm.SLIDING_WINDOW_COUNTER)",
            "  public void counter(String userId) {}",
            "  @RateLimited(permits = 1_000_000, window = \"1h\")",
            "  public void gcra(String userId) {}");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@RateLimited(permits) on quote(String, String): permits = 1000000 is above 10000, the"
                + " most a SLIDING_WINDOW_LOG limit grants per window")
        .onLineContaining("permits = 1_000_000)");
    assertThat(compilation)
        .hadErrorContaining("use algorithm = SLIDING_WINDOW_COUNTER or GCRA for large limits,"
            + " or permits = 10000 or less");
  }

  @Test
  void window_notADuration_isAnErrorOnWindow() {
    Compilation compilation =
        compile(
            "  @RateLimited(permits = 10,",
            "      window = \"1 second\")",
            "  public String quote(String userId, String symbol) { return symbol; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@RateLimited(window) on quote(String, String): \"1 second\" is not a duration; use a"
                + " whole number with a unit")
        .onLineContaining("1 second");
  }

  @Test
  void window_emptyOrZero_isAnError() {
    Compilation compilation =
        compile(
            "  @RateLimited(permits = 10, window = \"\") // empty",
            "  public void a(String userId) {}",
            "  @RateLimited(permits = 10, window = \"0s\") // zero",
            "  public void b(String userId) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining("@RateLimited(window) on a(String): \"\" is not a duration")
        .onLineContaining("// empty");
    assertThat(compilation)
        .hadErrorContaining("@RateLimited(window) on b(String): \"0s\" must be greater than zero")
        .onLineContaining("// zero");
  }

  @Test
  void window_belowOneMillisecondOrFractional_isAnError() {
    Compilation compilation =
        compile(
            "  @RateLimited(permits = 10, window = \"PT0.0005S\")",
            "  public void tiny(String userId) {}",
            "  @RateLimited(permits = 10, window = \"PT0.0015S\")",
            "  public void fractional(String userId) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@RateLimited(window) on tiny(String): \"PT0.0005S\" is shorter than 1 ms, and Redis's"
                + " clock counts windows in milliseconds; use \"1ms\" or longer")
        .onLineContaining("PT0.0005S");
    assertThat(compilation)
        .hadErrorContaining(
            "@RateLimited(window) on fractional(String): \"PT0.0015S\" is not whole milliseconds,"
                + " and Redis's clock counts windows in milliseconds; round it, as in \"1ms\"")
        .onLineContaining("PT0.0015S");
  }

  @Test
  void window_propertyDefault_isCheckedToo() {
    Compilation compilation =
        compile(
            "  @RateLimited(permits = 10, window = \"${weft.window:soon}\")",
            "  public void a(String userId) {}",
            "  @RateLimited(permits = 10, window = \"${weft.window}\")",
            "  public void b(String userId) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadErrorContaining(
            "@RateLimited(window) on a(String): the default of \"${weft.window:soon}\" is"
                + " invalid: \"soon\" is not a duration")
        .onLineContaining("weft.window:soon");
    assertThat(compilation)
        .hadWarningContaining(
            "@RateLimited(window) on b(String): ${weft.window} has no default: the method fails at"
                + " first call if the property is not set; add a default, as in"
                + " ${weft.window:1s}")
        .onLineContaining("${weft.window}\"");
  }

  @Test
  void maxWait_withThrow_isAnErrorOnMaxWait() {
    Compilation compilation =
        compile(
            "  @RateLimited(permits = 10, window = \"1s\", maxWait = \"2s\")",
            "  public void send(String userId) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@RateLimited(maxWait) on send(String): maxWait only applies with onLimit = WAIT;"
                + " remove it or set onLimit = WAIT")
        .onLineContaining("maxWait = \"2s\"");
  }

  @Test
  void maxWait_withWait_isRequiredAndPositive() {
    Compilation compilation =
        compile(
            "  @RateLimited(permits = 10, window = \"1s\", // none",
            "      onLimit = RateLimited.OnLimit.WAIT)",
            "  public void missing(String userId) {}",
            "  @RateLimited(permits = 10, window = \"1s\", onLimit = RateLimited.OnLimit.WAIT,",
            "      maxWait = \"-1s\")",
            "  public void negative(String userId) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@RateLimited(maxWait) on missing(String): with onLimit = WAIT a call needs to know how"
                + " long it may wait; give a positive duration, as in maxWait = \"2s\"")
        .onLineContaining("// none");
    assertThat(compilation)
        .hadErrorContaining(
            "@RateLimited(maxWait) on negative(String): \"-1s\" is not a duration")
        .onLineContaining("maxWait = \"-1s\"");
  }

  @Test
  void key_isATemplateOnTheParameters() {
    Compilation compilation =
        compile(
            "  @RateLimited(key = \"api:{user}\", permits = 10, window = \"1s\")",
            "  public String quote(String userId, String symbol) { return symbol; }",
            "  @RateLimited(key = \"api:{customer.nme}:{1}\", permits = 10, window = \"1s\")",
            "  public void export(Customer customer) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 3)
        .hadErrorContaining(
            "@RateLimited(key) on quote(String, String): no parameter named 'user'; available:"
                + " userId, symbol. Did you mean 'userId'?")
        .onLineContaining("api:{user}");
    assertThat(compilation)
        .hadErrorContaining(
            "@RateLimited(key) on export(Customer): cannot resolve 'nme' in {customer.nme}")
        .onLineContaining("customer.nme");
    assertThat(compilation)
        .hadErrorContaining(
            "@RateLimited(key) on export(Customer): {1} is out of range: export(Customer) has 1"
                + " parameter, so the only position is {0}")
        .onLineContaining("customer.nme");
  }

  @Test
  void key_result_isNotAvailable() {
    Compilation compilation =
        compile(
            "  @RateLimited(key = \"api:{result}\", permits = 10, window = \"1s\")",
            "  public String quote(String userId) { return userId; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@RateLimited(key) on quote(String): {result} is not available: @RateLimited decides"
                + " the limit before the method runs; use the parameters")
        .onLineContaining("api:{result}");
  }

  @Test
  void repeated_differentKeys_isAnErrorOnEachDifferingKey() {
    Compilation compilation =
        compile(
            "  @RateLimited(key = \"api:{userId}\", permits = 10, window = \"1s\")",
            "  @RateLimited(key = \"api:{symbol}\", permits = 1000, window = \"1h\")",
            "  @RateLimited(permits = 5000, window = \"1d\") // no key",
            "  public String quote(String userId, String symbol) { return symbol; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@RateLimited(key) on quote(String, String): all @RateLimited on one method must share"
                + " one key, because their limits are decided together; use \"api:{userId}\""
                + " here too, or move this limit to another method")
        .onLineContaining("api:{symbol}");
    assertThat(compilation)
        .hadErrorContaining("must share one key")
        .onLineContaining("// no key");
  }

  @Test
  void repeated_differentPolicies_isAnErrorOnTheDifferingLimit() {
    Compilation compilation =
        compile(
            "  @RateLimited(key = \"api:{userId}\", permits = 10, window = \"1s\")",
            "  @RateLimited(key = \"api:{userId}\", permits = 1000, window = \"1h\",",
            "      onLimit = RateLimited.OnLimit.WAIT, maxWait = \"2s\") // waits",
            "  public String quote(String userId) { return userId; }");

    assertThat(compilation)
        .hadErrorContaining(
            "@RateLimited(onLimit) on quote(String): all @RateLimited on one method must share"
                + " onLimit, because their limits are decided together; use onLimit = THROW here"
                + " too, as on the first")
        .onLineContaining("permits = 1000");
    assertThat(compilation).hadErrorContaining("must share maxWait");
  }

  @Test
  void repeated_sameLimitTwice_isAnErrorOnTheRepeat() {
    Compilation compilation =
        compile(
            "  @RateLimited(key = \"api:{userId}\", permits = 10, window = \"1s\")",
            "  @RateLimited(key = \"api:{userId}\", permits = 1000, window = \"1h\")",
            "  @RateLimited(key = \"api:{userId}\", permits = 10, window = \"1000ms\") // again",
            "  @RateLimited(key = \"api:{userId}\", permits = 10, window = \"1s\",",
            "      algorithm = RateLimitAlgorithm.FIXED_WINDOW) // other algorithm",
            "  public String quote(String userId) { return userId; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@RateLimited on quote(String) repeats the limit 10 per \"1000ms\" (GCRA) of an"
                + " earlier @RateLimited, which counts the same calls twice; remove one")
        .onLineContaining("// again");
  }

  @Test
  void repeated_eachAttributeErrorPointsAtItsOwnAnnotation() {
    Compilation compilation =
        compile(
            "  @RateLimited(permits = 10, window = \"1s\")",
            "  @RateLimited(permits = -1, window = \"1h\")",
            "  @RateLimited(permits = 100, window = \"1x\")",
            "  public void send(String userId) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining("@RateLimited(permits) on send(String): permits must be at least 1")
        .onLineContaining("permits = -1");
    assertThat(compilation)
        .hadErrorContaining("@RateLimited(window) on send(String): \"1x\" is not a duration")
        .onLineContaining("\"1x\"");
  }

  @Test
  void everyMistakeOfOneAnnotation_isReported() {
    Compilation compilation =
        compile(
            "  @RateLimited(key = \"{nobody}\", permits = 0, window = \"never\", maxWait = \"1s\")",
            "  public void send(String userId) {}");

    assertThat(compilation).hasCount(Diagnostic.Kind.ERROR, 4);
  }

  @Test
  void parameterNames_coverRateLimitedMethods() {
    Compilation compilation =
        compile(
            "  @RateLimited(key = \"api:{userId}\", permits = 10, window = \"1s\")",
            "  @RateLimited(key = \"api:{userId}\", permits = 1000, window = \"1h\")",
            "  public String quote(String userId, String symbol) { return symbol; }",
            "  @RateLimited(permits = 1, window = \"1m\")",
            "  public void ping(long id) {}");

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(
            compilation
                .resource(ParameterNamesFile.FOLDER + "com.acme.Service.properties")
                .lines()
                .filter(line -> !line.startsWith("#")))
        .containsExactly("quote(java.lang.String,java.lang.String)=userId,symbol", "ping(long)=id");
  }
}
