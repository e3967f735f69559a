package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @Subscribe} and {@code @StreamListener}: what weft-core refuses when a listener object is
 * registered, refused at compile time, each message on its line.
 */
class ListenerCheckTest {

  @TempDir Path out;

  private Compilation compile(String... lines) {
    return TestSources.compileService(out, lines);
  }

  @Test
  void wellFormedListeners_compileWithoutWarnings_andGetNoParameterNamesFile() {
    Compilation compilation =
        compile(
            "  @Subscribe(channel = \"prices\")",
            "  public void onPrice(Product price) {}",
            "  @Subscribe(pattern = \"orders.*\")",
            "  public void onOrder(Product order, String channel) {}",
            "  @StreamListener(stream = \"orders\", group = \"billing\", minIdle = \"1m\",",
            "      maxDeliveries = 0, batch = 1)",
            "  public void bill(Product order, String entryId) {}");

    assertThat(compilation).succeededWithoutWarnings();
    org.assertj.core.api.Assertions.assertThat(Files.exists(compilation.classOutput().resolve("META-INF/weft/parameter-names/com.acme.Service.properties")))
        .as("listeners take no templates").isFalse();
  }

  @Test
  void subscribe_channelAndPattern_bothOrNeither() {
    Compilation compilation =
        compile(
            "  @Subscribe(channel = \"prices\", pattern = \"p.*\") // both",
            "  public void both(Product p) {}",
            "  @Subscribe // neither",
            "  public void neither(Product p) {}");

    assertThat(compilation).hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining("@Subscribe on both(Product) sets both channel and pattern: set"
            + " exactly one")
        .onLineContaining("// both");
    assertThat(compilation)
        .hadErrorContaining("@Subscribe on neither(Product) sets neither channel nor pattern:"
            + " set one, such as @Subscribe(channel = \"prices\")")
        .onLineContaining("// neither");
  }

  @Test
  void parameters_theMessageAndAString() {
    Compilation compilation =
        compile(
            "  @Subscribe(channel = \"a\") // none",
            "  public void none() {}",
            "  @Subscribe(channel = \"b\") // second",
            "  public void second(Product p, long channel) {}",
            "  @StreamListener(stream = \"s\", group = \"g\") // three",
            "  public void three(Product p, String id, String more) {}");

    assertThat(compilation).hasCount(Diagnostic.Kind.ERROR, 3)
        .hadErrorContaining("@Subscribe on none() has 0 parameters: a @Subscribe method takes"
            + " the message and, optionally, the channel's name as a String")
        .onLineContaining("// none");
    assertThat(compilation)
        .hadErrorContaining("@Subscribe on second(Product, long) has a second parameter of type"
            + " long: the second parameter receives the channel's name and must be a String")
        .onLineContaining("// second");
    assertThat(compilation)
        .hadErrorContaining("@StreamListener on three(Product, String, String) has 3 parameters")
        .onLineContaining("// three");
  }

  @Test
  void staticListener_isAnError() {
    Compilation compilation =
        compile(
            "  @Subscribe(channel = \"a\")",
            "  public static void onA(Product p) {}");

    assertThat(compilation).hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining("@Subscribe on onA(Product) is on a static method, which Weft never"
            + " calls")
        .onLineContaining("@Subscribe");
  }

  @Test
  void streamListener_everyAttribute() {
    Compilation compilation =
        compile(
            "  @StreamListener(stream = \"\", group = \"\", minIdle = \"soon\",",
            "      maxDeliveries = -1, // deliveries",
            "      batch = 0) // batch",
            "  public void bill(Product order) {}",
            "  @StreamListener(stream = \"s\", group = \"g\", minIdle = \"${idle:30s}\") // reference",
            "  public void other(Product order) {}");

    assertThat(compilation).hasCount(Diagnostic.Kind.ERROR, 6)
        .hadErrorContaining("@StreamListener(stream) on bill(Product) is empty: name the stream's"
            + " key, such as stream = \"orders\"")
        .onLineContaining("minIdle = \"soon\"");
    assertThat(compilation)
        .hadErrorContaining("@StreamListener(group) on bill(Product) is empty: name the consumer"
            + " group")
        .onLineContaining("minIdle = \"soon\"");
    assertThat(compilation)
        .hadErrorContaining("@StreamListener(minIdle) on bill(Product): ")
        .onLineContaining("minIdle = \"soon\"");
    assertThat(compilation)
        .hadErrorContaining("@StreamListener(maxDeliveries) on bill(Product): -1 is negative")
        .onLineContaining("// deliveries");
    assertThat(compilation)
        .hadErrorContaining("@StreamListener(batch) on bill(Product): 0; a read fetches at least"
            + " 1 entry")
        .onLineContaining("// batch");
    assertThat(compilation)
        .hadErrorContaining("@StreamListener(minIdle) on other(Product): ")
        .onLineContaining("// reference");
  }
}
