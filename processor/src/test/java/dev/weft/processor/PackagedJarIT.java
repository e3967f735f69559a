package dev.weft.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the published jar the way a user does: a separate {@code javac} with the jar and its one
 * dependency besides the annotations, weft-syntax, on {@code -processorpath} (what {@code
 * annotationProcessorPaths} resolves), and weft-annotations alone on the class path. Catches what
 * the in-process tests cannot: a broken service file, a jar or a POM that needs weft-core.
 *
 * <p>Run by failsafe after {@code package}: {@code mvn -pl processor verify}.
 */
class PackagedJarIT {

  @TempDir Path work;

  private static Path processorJar() {
    return Paths.get(System.getProperty("weft.processor.jar"));
  }

  private static Path annotationsJar() {
    return weftJar("weft-annotations");
  }

  private static Path syntaxJar() {
    return weftJar("weft-syntax");
  }

  private static Path weftJar(String artifactId) {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Paths::get)
        .filter(p -> p.getFileName().toString().startsWith(artifactId))
        .findFirst()
        .orElseThrow(() -> new AssertionError(artifactId + " is not on the test class path"));
  }

  @Test
  void jar_carriesOnlyTheProcessor() throws IOException {
    List<String> classes;
    String service;
    try (JarFile jar = new JarFile(processorJar().toFile())) {
      classes =
          jar.stream()
              .map(e -> e.getName())
              .filter(n -> n.endsWith(".class"))
              .collect(Collectors.toList());
      service =
          new String(
              jar.getInputStream(jar.getEntry("META-INF/services/javax.annotation.processing.Processor"))
                  .readAllBytes(),
              StandardCharsets.UTF_8);
    }
    assertThat(classes)
        .allMatch(n -> n.startsWith("dev/weft/processor/") || n.equals("module-info.class"));
    assertThat(classes).contains("dev/weft/processor/WeftProcessor.class", "module-info.class");
    assertThat(service.trim()).isEqualTo("dev.weft.processor.WeftProcessor");
  }

  @Test
  void pom_dependsOnAnnotationsAndSyntaxButNotCore() throws IOException {
    String pom = Files.readString(Paths.get(System.getProperty("weft.processor.pom")));

    assertThat(pom)
        .contains("<artifactId>weft-annotations</artifactId>")
        .contains("<artifactId>weft-syntax</artifactId>")
        .doesNotContain("<artifactId>weft-core</artifactId>")
        .doesNotContain("maven-shade-plugin");
  }

  @Test
  void javac_withTheJar_reportsMistakesWithFileAndLine() throws Exception {
    Result result =
        javac(
            "com/acme/UserService.java",
            "package com.acme;",
            "",
            "import dev.weft.annotation.Cached;",
            "",
            "public class UserService {",
            "  public record User(long id) {}",
            "",
            "  @Cached(key = \"user:{idd}\", ttl = \"10 minutes\")",
            "  public User find(long id) {",
            "    return new User(id);",
            "  }",
            "}");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output())
        .contains(
            result.error(
                8,
                "@Cached(key) on find(long): no parameter named 'idd'; available: id. Did you mean"
                    + " 'id'?"))
        .contains(result.error(8, "@Cached(ttl) on find(long): \"10 minutes\" is not a duration"))
        .contains("2 errors");
  }

  /**
   * A repeated {@code @Invalidate} reaches the processor inside its container; the positions of
   * its messages come from javac's tree API, which must also work when javac loads the processor
   * from a jar on {@code -processorpath}.
   */
  @Test
  void javac_withTheJar_pointsAtEachRepeatedInvalidate() throws Exception {
    Result result =
        javac(
            "com/acme/Accounts.java",
            "package com.acme;",
            "",
            "import dev.weft.annotation.Invalidate;",
            "import dev.weft.annotation.WriteThrough;",
            "",
            "public class Accounts {",
            "  @WriteThrough(key = \"account:{result}\")",
            "  @Invalidate(keys = \"account:{id}\")",
            "  @Invalidate(keys = \"email:{mail}\")",
            "  @Invalidate(tags = \"owner:{result}\", beforeInvocation = true)",
            "  public String update(long id, String email) {",
            "    return email;",
            "  }",
            "}");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output())
        .contains(
            result.error(9, "@Invalidate(keys) on update(long, String): no parameter named 'mail'"))
        .contains(
            result.error(
                10, "@Invalidate(tags) on update(long, String): {result} is not available"))
        .contains("2 errors");
  }

  /** {@code @Counted}'s name and retention rules come from weft-syntax's {@code NameSyntax}. */
  @Test
  void javac_withTheJar_checksCountedNamesAndRetentions() throws Exception {
    Result result =
        javac(
            "com/acme/Pages.java",
            "package com.acme;",
            "",
            "import dev.weft.annotation.Counted;",
            "",
            "public class Pages {",
            "  @Counted(key = \"views:{page}\")",
            "  @Counted(key = \"views\", name = \"page views\", retention = \"1500ms\")",
            "  public String view(String page) {",
            "    return page;",
            "  }",
            "}");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output())
        .contains(result.error(7, "@Counted(name) on view(String): a counter's name must be"))
        .contains(
            result.error(
                7, "@Counted(retention) on view(String): \"1500ms\" is not a whole number"))
        .contains("2 errors");
  }

  @Test
  void javac_withTheJar_writesTheParameterNames() throws Exception {
    Result result =
        javac(
            "com/acme/Catalog.java",
            "package com.acme;",
            "import dev.weft.annotation.Cached;",
            "public class Catalog {",
            "  @Cached(key = \"item:{sku}\", ttl = \"PT10M\")",
            "  public String item(String sku, int[] sizes) { return sku; }",
            "}");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).isEmpty();
    assertThat(
            Files.readString(
                work.resolve("out/META-INF/weft/parameter-names/com.acme.Catalog.properties")))
        .contains("item(java.lang.String,int[])=sku,sizes");
    assertThat(Files.readAllLines(work.resolve("out/META-INF/weft/woven-classes")))
        .containsExactly(
            "# weft-woven-classes 1",
            "# Classes with Weft-annotated methods, written by weft-processor;"
                + " the Weft agent transforms only these.",
            "com.acme.Catalog");
  }

  /**
   * Writes one source file below the work folder and compiles it with the JDK's {@code javac}, the
   * jar and weft-syntax on {@code -processorpath}, into {@code out} below the work folder.
   *
   * @param path the file's path below the source root, such as {@code com/acme/Catalog.java}
   * @param lines the file's lines
   */
  private Result javac(String path, String... lines) throws IOException, InterruptedException {
    Path source = work.resolve("src").resolve(path);
    Files.createDirectories(source.getParent());
    Files.writeString(source, String.join("\n", lines) + "\n");
    Path javac = Paths.get(System.getProperty("java.home"), "bin", "javac");
    List<String> command = new ArrayList<>();
    Collections.addAll(
        command,
        javac.toString(),
        "-processorpath", processorJar() + File.pathSeparator + syntaxJar(),
        "-cp", annotationsJar().toString(),
        "-d", work.resolve("out").toString(),
        source.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(source, process.exitValue(), output);
  }

  /**
   * @param source the compiled file, as javac names it in its messages
   * @param exitCode javac's exit code
   * @param output what javac printed, standard error included
   */
  private record Result(Path source, int exitCode, String output) {

    /** @return an error as javac prints it: {@code <source>:<line>: error: <message>} */
    String error(int line, String message) {
      return source + ":" + line + ": error: " + message;
    }
  }
}
