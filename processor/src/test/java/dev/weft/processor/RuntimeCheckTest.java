package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;

import java.nio.file.Path;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code runtime} attribute of every Weft annotation: a name, and one per woven method. */
class RuntimeCheckTest {

  @TempDir Path out;

  private Compilation compile(String... lines) {
    return TestSources.compileService(out, lines);
  }

  @Test
  void namesOnEveryAnnotation_oneRuntimePerMethod_compileWithoutWarnings() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"product:{id}\", ttl = \"1m\", runtime = \"billing\")",
            "  @Counted(key = \"reads\")",
            "  @RateLimited(key = \"reads\", permits = 5, window = \"1m\", runtime = \"billing\")",
            "  @RateLimited(key = \"reads\", permits = 50, window = \"1h\")",
            "  public Product find(long id) { return null; }",
            "  @DistributedLock(key = \"job\", runtime = \"eu-west.2_b\")",
            "  @Invalidate(keys = \"product:{id}\", runtime = \"eu-west.2_b\")",
            "  public void job(long id) {}",
            "  @Subscribe(channel = \"prices\", runtime = \"market\")",
            "  public void onPrice(String price) {}",
            "  @StreamListener(stream = \"orders\", group = \"billing\", runtime = \"billing\")",
            "  public void bill(String order) {}");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void notAName_isAnErrorOnTheAttribute_sayingTheRule() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"product:{id}\", ttl = \"1m\", runtime = \"billing eu\")",
            "  public Product find(long id) { return null; }",
            "  @Subscribe(channel = \"prices\", runtime = \"{tenant}\")",
            "  public void onPrice(String price) {}");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@Cached(runtime) on find(long): a runtime's name must be 1 to 64 letters, digits,"
                + " '.', '_' or '-', such as \"billing\", was \"billing eu\"")
        .onLineContaining("\"billing eu\"");
    assertThat(compilation)
        .hadErrorContaining("@Subscribe(runtime) on onPrice(String): a runtime's name must be")
        .onLineContaining("{tenant}");
  }

  @Test
  void twoRuntimesOnOneMethod_isAnErrorOnTheLaterOne() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"product:{id}\", ttl = \"1m\", runtime = \"billing\")",
            "  @Counted(key = \"reads\")",
            "  @Counted(key = \"all\", runtime = \"shipping\") // other",
            "  public Product find(long id) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Counted(runtime) on find(long): names another runtime than @Cached(runtime ="
                + " \"billing\"); one method uses one runtime")
        .onLineContaining("// other");
  }
}
