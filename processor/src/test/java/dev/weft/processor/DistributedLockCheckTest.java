package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code @DistributedLock} checks, each with its message and line. */
class DistributedLockCheckTest {

  @TempDir Path out;

  private Compilation compile(String... lines) {
    return TestSources.compileService(out, lines);
  }

  @Test
  void everyAttributeWrittenRight_compilesWithoutWarnings() {
    Compilation compilation =
        compile(
            "  @DistributedLock(key = \"invoice:{invoiceId}\", waitTime = \"2s\")",
            "  public void settle(long invoiceId) {}",
            "  @DistributedLock(key = \"nightly-report\", onLocked = DistributedLock.OnLocked.SKIP,",
            "      holdAtLeast = \"1m\")",
            "  public void report() {}",
            "  @DistributedLock(key = \"customer:{customer.id}:{1}\",",
            "      lease = \"${weft.lock.lease:PT2M}\", waitTime = \"0s\", holdAtLeast = \"0ms\",",
            "      autoRenew = false, redlock = true)",
            "  public Customer rename(Customer customer, String name) { return customer; }",
            "  @DistributedLock(lease = \"1ms\", waitTime = \"${weft.lock.wait:0s}\")",
            "  public long count() { return 0; }",
            "  @DistributedLock",
            "  public int withDefaults() { return 0; }");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void skip_acceptsEveryNonPrimitiveReturnType() {
    Compilation compilation =
        compile(
            "  @DistributedLock(onLocked = DistributedLock.OnLocked.SKIP)",
            "  public Long boxed() { return 0L; }",
            "  @DistributedLock(onLocked = DistributedLock.OnLocked.SKIP)",
            "  public Optional<Customer> optional() { return Optional.empty(); }",
            "  @DistributedLock(onLocked = DistributedLock.OnLocked.SKIP)",
            "  public OptionalInt optionalInt() { return OptionalInt.empty(); }",
            "  @DistributedLock(onLocked = DistributedLock.OnLocked.SKIP)",
            "  public java.util.concurrent.CompletableFuture<Void> async() { return null; }",
            "  @DistributedLock(onLocked = DistributedLock.OnLocked.SKIP)",
            "  public int[] array() { return new int[0]; }",
            "  @DistributedLock(onLocked = DistributedLock.OnLocked.SKIP)",
            "  public <T> T generic(T value) { return value; }",
            "  @DistributedLock(onLocked = DistributedLock.OnLocked.SKIP)",
            "  public void nothing() {}");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void skip_onAPrimitiveReturn_isAnErrorOnOnLocked() {
    Compilation compilation =
        compile(
            "  @DistributedLock(key = \"count\",",
            "      onLocked = DistributedLock.OnLocked.SKIP) // long",
            "  public long count() { return 0; }",
            "  @DistributedLock(onLocked = DistributedLock.OnLocked.SKIP) // int",
            "  public int size() { return 0; }",
            "  @DistributedLock(onLocked = DistributedLock.OnLocked.SKIP) // boolean",
            "  public boolean done() { return true; }",
            "  @DistributedLock(onLocked = DistributedLock.OnLocked.THROW)",
            "  public double ratio() { return 0; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 3)
        .hadErrorContaining(
            "@DistributedLock(onLocked) on count(): a skipped call would have to return a long;"
                + " return a boxed type or Optional, or use onLocked = THROW")
        .onLineContaining("// long");
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(onLocked) on size(): a skipped call would have to return an int;")
        .onLineContaining("// int");
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(onLocked) on done(): a skipped call would have to return a boolean;")
        .onLineContaining("// boolean");
  }

  @Test
  void key_isATemplateOnTheParameters() {
    Compilation compilation =
        compile(
            "  @DistributedLock(key = \"invoice:{invoice}\")",
            "  public void settle(long invoiceId) {}",
            "  @DistributedLock(key = \"customer:{customer.nme}:{1}\")",
            "  public void export(Customer customer) {}",
            "  @DistributedLock(key = \"broken:{id\")",
            "  public void broken(long id) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 4)
        .hadErrorContaining(
            "@DistributedLock(key) on settle(long): no parameter named 'invoice'; available:"
                + " invoiceId. Did you mean 'invoiceId'?")
        .onLineContaining("invoice:{invoice}");
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(key) on export(Customer): cannot resolve 'nme' in {customer.nme}")
        .onLineContaining("customer.nme");
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(key) on export(Customer): {1} is out of range: export(Customer) has"
                + " 1 parameter, so the only position is {0}")
        .onLineContaining("customer.nme");
    assertThat(compilation)
        .hadErrorContaining("@DistributedLock(key) on broken(long): ")
        .onLineContaining("broken:{id");
  }

  @Test
  void key_result_isNotAvailable() {
    Compilation compilation =
        compile(
            "  @DistributedLock(key = \"job:{result}\")",
            "  public String run(String job) { return job; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@DistributedLock(key) on run(String): {result} is not available: @DistributedLock"
                + " takes the lock before the method runs; use the parameters")
        .onLineContaining("job:{result}");
  }

  @Test
  void lease_notADurationEmptyOrZero_isAnErrorOnLease() {
    Compilation compilation =
        compile(
            "  @DistributedLock(key = \"a\",",
            "      lease = \"30 seconds\")",
            "  public void a() {}",
            "  @DistributedLock(lease = \"\") // empty",
            "  public void b() {}",
            "  @DistributedLock(lease = \"0s\") // zero",
            "  public void c() {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 3)
        .hadErrorContaining(
            "@DistributedLock(lease) on a(): \"30 seconds\" is not a duration; use a whole number"
                + " with a unit")
        .onLineContaining("30 seconds");
    assertThat(compilation)
        .hadErrorContaining("@DistributedLock(lease) on b(): \"\" is not a duration")
        .onLineContaining("// empty");
    assertThat(compilation)
        .hadErrorContaining("@DistributedLock(lease) on c(): \"0s\" must be greater than zero")
        .onLineContaining("// zero");
  }

  @Test
  void lease_belowOneMillisecond_isAnError() {
    Compilation compilation =
        compile(
            "  @DistributedLock(lease = \"PT0.0005S\")",
            "  public void tiny() {}",
            "  @DistributedLock(lease = \"${weft.lease:PT0.0001S}\")",
            "  public void tinyDefault() {}",
            "  @DistributedLock(lease = \"PT0.0015S\")",
            "  public void fractional() {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@DistributedLock(lease) on tiny(): \"PT0.0005S\" is shorter than 1 ms, and Redis"
                + " counts a lock's lease in milliseconds; use \"1ms\" or longer, as in lease ="
                + " \"30s\"")
        .onLineContaining("PT0.0005S");
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(lease) on tinyDefault(): the default of \"${weft.lease:PT0.0001S}\""
                + " is shorter than 1 ms")
        .onLineContaining("weft.lease:PT0.0001S");
  }

  @Test
  void lease_propertyDefault_isCheckedToo() {
    Compilation compilation =
        compile(
            "  @DistributedLock(lease = \"${weft.lease:soon}\")",
            "  public void a() {}",
            "  @DistributedLock(lease = \"${weft.lease}\")",
            "  public void b() {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadErrorContaining(
            "@DistributedLock(lease) on a(): the default of \"${weft.lease:soon}\" is invalid:"
                + " \"soon\" is not a duration")
        .onLineContaining("weft.lease:soon");
    assertThat(compilation)
        .hadWarningContaining(
            "@DistributedLock(lease) on b(): ${weft.lease} has no default: the method fails at"
                + " first call if the property is not set; add a default, as in"
                + " ${weft.lease:30s}")
        .onLineContaining("${weft.lease}\"");
  }

  @Test
  void waitTime_emptyOrZeroIsFine_negativeOrNotADurationIsAnError() {
    Compilation compilation =
        compile(
            "  @DistributedLock(waitTime = \"\")",
            "  public void empty() {}",
            "  @DistributedLock(waitTime = \"PT0S\")",
            "  public void zero() {}",
            "  @DistributedLock(waitTime = \"PT-1S\") // below zero",
            "  public void negative() {}",
            "  @DistributedLock(waitTime = \"forever\") // not a duration",
            "  public void forever() {}",
            "  @DistributedLock(waitTime = \"${weft.wait:PT-2S}\") // negative default",
            "  public void negativeDefault() {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 3)
        .hadErrorContaining(
            "@DistributedLock(waitTime) on negative(): \"PT-1S\" must not be negative; use \"0s\""
                + " or a whole number with a unit (\"500ms\", \"30s\", \"10m\", \"1h\", \"1d\") or"
                + " ISO-8601 (\"PT10M\"), or leave waitTime empty for none")
        .onLineContaining("// below zero");
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(waitTime) on forever(): \"forever\" is not a duration; use a whole"
                + " number with a unit")
        .onLineContaining("// not a duration");
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(waitTime) on negativeDefault(): the default of"
                + " \"${weft.wait:PT-2S}\" is invalid: \"PT-2S\" must not be negative")
        .onLineContaining("// negative default");
  }

  @Test
  void holdAtLeast_emptyOrZeroIsFine_negativeOrNotADurationIsAnError() {
    Compilation compilation =
        compile(
            "  @DistributedLock(holdAtLeast = \"0s\", onLocked = DistributedLock.OnLocked.SKIP)",
            "  public void zero() {}",
            "  @DistributedLock(holdAtLeast = \"PT-1M\") // negative",
            "  public void negative() {}",
            "  @DistributedLock(holdAtLeast = \"1 minute\") // not a duration",
            "  public void minute() {}",
            "  @DistributedLock(holdAtLeast = \"${weft.hold}\") // no default",
            "  public void noDefault() {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadErrorContaining(
            "@DistributedLock(holdAtLeast) on negative(): \"PT-1M\" must not be negative; use"
                + " \"0s\" or")
        .onLineContaining("// negative");
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(holdAtLeast) on minute(): \"1 minute\" is not a duration")
        .onLineContaining("// not a duration");
    assertThat(compilation)
        .hadWarningContaining(
            "@DistributedLock(holdAtLeast) on noDefault(): ${weft.hold} has no default: the method"
                + " fails at first call if the property is not set; add a default, as in"
                + " ${weft.hold:1m}")
        .onLineContaining("// no default");
  }

  @Test
  void maxHold_emptyZeroOrAtLeastTheLeaseIsFine_shorterOrNotADurationIsAnError() {
    Compilation compilation =
        compile(
            "  @DistributedLock(maxHold = \"10m\")",
            "  public void bounded() {}",
            "  @DistributedLock(lease = \"5s\", maxHold = \"5s\")",
            "  public void oneLease() {}",
            "  @DistributedLock(maxHold = \"0s\")",
            "  public void none() {}",
            "  @DistributedLock(maxHold = \"${weft.lock.max:1h}\")",
            "  public void property() {}",
            "  @DistributedLock(lease = \"1m\", maxHold = \"30s\") // below the lease",
            "  public void belowLease() {}",
            "  @DistributedLock(maxHold = \"an hour\") // not a duration",
            "  public void hour() {}");

    assertThat(compilation).hasCount(Diagnostic.Kind.ERROR, 2);
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(maxHold) on belowLease(): \"30s\" is shorter than the lease (PT1M),"
                + " so the lock would end before its first renewal; give a maxHold of at least the"
                + " lease, or leave maxHold empty for no bound")
        .onLineContaining("// below the lease");
    assertThat(compilation)
        .hadErrorContaining("@DistributedLock(maxHold) on hour(): \"an hour\" is not a duration")
        .onLineContaining("// not a duration");
  }

  @Test
  void holdAtLeastLongerThanLease_withoutAutoRenew_isNotWarnedAbout() {
    Compilation compilation =
        compile(
            "  @DistributedLock(lease = \"10s\", holdAtLeast = \"1m\", autoRenew = false)",
            "  public void report() {}");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void combinesWithEveryOtherWeftAnnotation() {
    Compilation compilation =
        compile(
            "  @DistributedLock(key = \"customer:{id}\", onLocked = DistributedLock.OnLocked.SKIP)",
            "  @Cached(key = \"customer:{id}\")",
            "  @RateLimited(key = \"api:{id}\", permits = 10, window = \"1s\")",
            "  public Customer find(long id) { return null; }",
            "  @DistributedLock(key = \"customer:{customer.id}\")",
            "  @WriteThrough(key = \"customer:{result.id}\")",
            "  @Invalidate(tags = \"customers\")",
            "  public Customer save(Customer customer) { return customer; }",
            "  @DistributedLock(key = \"bulk\")",
            "  @CachedBulk(key = \"customer:{ids}\")",
            "  public Map<Long, Customer> findAll(Set<Long> ids) { return Map.of(); }");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void abstractMethod_warnsAndStillChecksTheAttributes() {
    Compilation compilation =
        TestSources.compile(
            out,
            TestSources.type(
                "public interface Jobs",
                "  @DistributedLock(key = \"job:{nme}\")",
                "  void run(String name);"));

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadWarningContaining(
            "@DistributedLock on run(String) has no effect: the method is abstract and Weft"
                + " weaves only method bodies; put @DistributedLock on the implementing method")
        .onLineContaining("job:{nme}");
    assertThat(compilation)
        .hadErrorContaining(
            "@DistributedLock(key) on run(String): no parameter named 'nme'; available: name."
                + " Did you mean 'name'?")
        .onLineContaining("job:{nme}");
  }

  @Test
  void everyMistakeOfOneAnnotation_isReported() {
    Compilation compilation =
        compile(
            "  @DistributedLock(key = \"{nobody}\", lease = \"never\", waitTime = \"PT-1S\",",
            "      holdAtLeast = \"x\", onLocked = DistributedLock.OnLocked.SKIP)",
            "  public long send(String userId) { return 0; }");

    assertThat(compilation).hasCount(Diagnostic.Kind.ERROR, 5);
  }

  @Test
  void parameterNames_coverDistributedLockMethods() {
    Compilation compilation =
        compile(
            "  @DistributedLock(key = \"invoice:{invoiceId}\")",
            "  public void settle(long invoiceId, String note) {}",
            "  public void plain(long id) {}",
            "  @DistributedLock",
            "  public String[] report(List<String> lines, int... widths) { return null; }");

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(
            compilation
                .resource(ParameterNamesFile.FOLDER + "com.acme.Service.properties")
                .lines()
                .filter(line -> !line.startsWith("#")))
        .containsExactly(
            "settle(long,java.lang.String)=invoiceId,note",
            "report(java.util.List,int[])=lines,widths");
  }
}
