package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;

import java.nio.file.Path;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @Cached} on return types that cannot be cached (errors) and {@code near = true} on return
 * types without value semantics (warnings); see {@link Uncacheable} and {@link ValueSemantics}.
 */
class CachedReturnTypeTest {

  @TempDir Path out;

  private Compilation compile(String... lines) {
    return TestSources.compileService(out, lines);
  }

  @Test
  void consumedOnceTypes_cannotBeCached() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"stream\")",
            "  public java.util.stream.Stream<Customer> stream() { return null; }",
            "  @Cached(key = \"ints\")",
            "  public java.util.stream.IntStream ints() { return null; }",
            "  @Cached(key = \"iterator\")",
            "  public Iterator<Customer> iterator() { return null; }",
            "  @Cached(key = \"spliterator\")",
            "  public Spliterator<Customer> spliterator() { return null; }",
            "  @Cached(key = \"input\")",
            "  public java.io.InputStream input() { return null; }",
            "  @Cached(key = \"reader\")",
            "  public java.io.BufferedReader reader() { return null; }",
            "  @Cached(key = \"rows\")",
            "  public java.sql.ResultSet rows() { return null; }");

    assertThat(compilation).failed().hasCount(Diagnostic.Kind.ERROR, 7);
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached on stream() cannot be cached: a Stream<Customer> is consumed once, so every"
                + " caller after the first would get a used-up copy; return a List/array or the"
                + " materialized value")
        .onLineContaining("\"stream\"");
    assertThat(compilation)
        .hadErrorContaining("@Cached on ints() cannot be cached: an IntStream is consumed once")
        .onLineContaining("\"ints\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached on iterator() cannot be cached: an Iterator<Customer> is consumed once")
        .onLineContaining("\"iterator\"");
    assertThat(compilation)
        .hadErrorContaining("@Cached on spliterator() cannot be cached: a Spliterator<Customer>")
        .onLineContaining("\"spliterator\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached on input() cannot be cached: an InputStream is consumed once, so every caller"
                + " after the first would get a used-up copy; return a byte[] or the materialized"
                + " value")
        .onLineContaining("\"input\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached on reader() cannot be cached: a BufferedReader is consumed once, so every"
                + " caller after the first would get a used-up copy; return a String or the"
                + " materialized value")
        .onLineContaining("\"reader\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached on rows() cannot be cached: a ResultSet is consumed once, so every caller"
                + " after the first would get a used-up copy (and it belongs to an open"
                + " connection); return a List/array or the materialized value")
        .onLineContaining("\"rows\"");
  }

  @Test
  void sinksAndFutures_cannotBeCached() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"out\")",
            "  public java.io.ByteArrayOutputStream out() { return null; }",
            "  @Cached(key = \"writer\")",
            "  public java.io.Writer writer() { return null; }",
            "  @Cached(key = \"future\")",
            "  public java.util.concurrent.Future<Customer> future() { return null; }",
            "  @Cached(key = \"task\")",
            "  public java.util.concurrent.FutureTask<Customer> task() { return null; }");

    assertThat(compilation).hasCount(Diagnostic.Kind.ERROR, 4);
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached on out() cannot be cached: a ByteArrayOutputStream is a destination to write"
                + " to, not a value; return the written value, such as a byte[]")
        .onLineContaining("\"out\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached on writer() cannot be cached: a Writer is a destination to write to, not a"
                + " value; return the written value, such as a String")
        .onLineContaining("\"writer\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached on future() cannot be cached: a Future<Customer> is a handle on work in"
                + " progress, not its value; return the value itself, or a CompletableFuture or"
                + " CompletionStage")
        .onLineContaining("\"future\"");
    assertThat(compilation)
        .hadErrorContaining("@Cached on task() cannot be cached: a FutureTask<Customer>")
        .onLineContaining("\"task\"");
  }

  /**
   * The runtime unwraps exactly CompletableFuture and CompletionStage and stores what they
   * complete with; that value is judged, and a subclass of CompletableFuture is a Future like any
   * other.
   */
  @Test
  void futures_areJudgedByWhatTheyCompleteWith() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"futureStream\")",
            "  public java.util.concurrent.CompletableFuture<java.util.stream.Stream<Customer>>"
                + " futureStream() { return null; }",
            "  @Cached(key = \"subclass\")",
            "  public Later subclass() { return null; }",
            "  public static class Later extends java.util.concurrent.CompletableFuture<Customer> {}");

    assertThat(compilation).hasCount(Diagnostic.Kind.ERROR, 2);
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached on futureStream() cannot be cached: a Stream<Customer> (what"
                + " CompletableFuture<Stream<Customer>> completes with) is consumed once")
        .onLineContaining("\"futureStream\"");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached on subclass() cannot be cached: a Later is a handle on work in progress, not"
                + " its value")
        .onLineContaining("\"subclass\"");
  }

  @Test
  void typeVariableBoundedByStream_cannotBeCached() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"bounded\")",
            "  public <S extends java.util.stream.Stream<Customer>> S bounded() { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Cached on bounded() cannot be cached: a Stream<Customer> (the bound of S) is"
                + " consumed once")
        .onLineContaining("\"bounded\"");
  }

  @Test
  void valuesCollectionsAndCompletableFutures_canBeCached() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"completable\")",
            "  public java.util.concurrent.CompletableFuture<Customer> completable() { return null; }",
            "  @Cached(key = \"stage\")",
            "  public java.util.concurrent.CompletionStage<Customer> stage() { return null; }",
            "  @Cached(key = \"list\")",
            "  public List<Customer> list() { return null; }",
            "  @Cached(key = \"iterable\")",
            "  public Iterable<Customer> iterable() { return null; }",
            "  @Cached(key = \"bytes\")",
            "  public byte[] bytes() { return null; }",
            "  @Cached(key = \"generic\")",
            "  public <T> T generic() { return null; }");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void near_onMutableBean_warnsWithTheSetter() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"account:{id}\", near = true)",
            "  public Account account(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 0)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadWarningContaining(
            "@Cached(near) on account(long): Account is mutable (public setter setEmail); local"
                + " copies are shared between callers; a caller that mutates the returned object"
                + " changes what other callers see; return a record or an immutable type")
        .onLineContaining("account:{id}");
  }

  @Test
  void near_onClassWithNonFinalField_warns_evenWhenTheFieldIsInherited() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"counter\",",
            "          near = true) // counter",
            "  public Counter counter() { return null; }",
            "  @Cached(key = \"document\", near = true)",
            "  public Document document() { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.WARNING, 2)
        .hadWarningContaining("@Cached(near) on counter(): Counter is mutable (non-final field count)")
        .onLineContaining("near = true) // counter");
    assertThat(compilation)
        .hadWarningContaining(
            "@Cached(near) on document(): Document is mutable (non-final field version in"
                + " Versioned)")
        .onLineContaining("\"document\"");
  }

  @Test
  void near_onCollectionOfBeans_namesTheElement() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"accounts\", near = true)",
            "  public List<Account> accounts() { return null; }",
            "  @Cached(key = \"byEmail\", near = true)",
            "  public Map<String, Optional<Account>> byEmail() { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.WARNING, 2)
        .hadWarningContaining(
            "@Cached(near) on accounts(): List<Account> holds Account, which is mutable (public"
                + " setter setEmail); local copies are shared between callers")
        .onLineContaining("\"accounts\"");
    assertThat(compilation)
        .hadWarningContaining(
            "@Cached(near) on byEmail(): Map<String, Optional<Account>> holds Account")
        .onLineContaining("\"byEmail\"");
  }

  @Test
  void near_onFutureOfBean_warnsAboutTheBean() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"later\", near = true)",
            "  public java.util.concurrent.CompletionStage<Account> later() { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.WARNING, 1)
        .hadWarningContaining(
            "@Cached(near) on later(): CompletionStage<Account> holds Account, which is mutable"
                + " (public setter setEmail)")
        .onLineContaining("\"later\"");
  }

  @Test
  void near_onValues_doesNotWarn() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"record\", near = true)",
            "  public Customer record() { return null; }",
            "  @Cached(key = \"string\", near = true)",
            "  public String string() { return null; }",
            "  @Cached(key = \"primitive\", near = true)",
            "  public long primitive() { return 0; }",
            "  @Cached(key = \"boxed\", near = true)",
            "  public Integer boxed() { return null; }",
            "  @Cached(key = \"status\", near = true)",
            "  public Status status() { return null; }",
            "  @Cached(key = \"instant\", near = true)",
            "  public java.time.Instant instant() { return null; }",
            "  @Cached(key = \"uuid\", near = true)",
            "  public UUID uuid() { return null; }",
            "  @Cached(key = \"decimal\", near = true)",
            "  public java.math.BigDecimal decimal() { return null; }",
            "  @Cached(key = \"money\", near = true)",
            "  public Money money() { return null; }",
            "  @Cached(key = \"list\", near = true)",
            "  public List<Customer> list() { return null; }",
            "  @Cached(key = \"map\", near = true)",
            "  public Map<String, Set<Money>> map() { return null; }",
            "  @Cached(key = \"optional\", near = true)",
            "  public Optional<Customer> optional() { return null; }",
            "  @Cached(key = \"array\", near = true)",
            "  public Customer[] array() { return null; }",
            "  @Cached(key = \"generic\", near = true)",
            "  public <T> T generic() { return null; }",
            "  @Cached(key = \"farAccount\")",
            "  public Account farAccount() { return null; }");

    assertThat(compilation).succeededWithoutWarnings();
  }
}
