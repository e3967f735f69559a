package dev.weft.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.processing.Processor;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources held in strings with the JDK's own compiler, in this JVM, with the
 * processors a test chooses, and returns what javac said.
 *
 * <pre>{@code
 * Compilation c = TestCompiler.withProcessors(new WeftProcessor()).outputTo(dir).compile(source);
 * CompilationAssert.assertThat(c).hadErrorContaining("idd").onLineContaining("find(long id)");
 * }</pre>
 *
 * <p>The class path is this test's own ({@code java.class.path}), which holds weft-annotations.
 */
final class TestCompiler {

  private static final Pattern PACKAGE =
      Pattern.compile(
          "^\\s*package\\s+([\\w.$]+)\\s*;", Pattern.MULTILINE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern TYPE =
      Pattern.compile(
          "\\b(?:class|interface|enum|record)\\s+([\\w$]+)", Pattern.UNICODE_CHARACTER_CLASS);

  private final List<Processor> processors;
  private Path output;

  private TestCompiler(List<Processor> processors) {
    this.processors = processors;
  }

  /** @return a compiler that runs these processors, in this order */
  static TestCompiler withProcessors(Processor... processors) {
    return new TestCompiler(List.of(processors));
  }

  /** @return this, writing classes and resources below {@code directory} */
  TestCompiler outputTo(Path directory) {
    this.output = directory;
    return this;
  }

  /**
   * Compiles the sources. Each source's file name comes from its package and its first type
   * declaration, as javac requires for public types.
   *
   * @param sources complete compilation units
   * @return the result, never {@code null}
   */
  Compilation compile(String... sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<JavaFileObject> units = new ArrayList<>();
    for (String source : sources) {
      units.add(new StringSource(fileName(source), source));
    }
    try {
      Path out = output != null ? output : Files.createTempDirectory("weft-processor-test");
      Path classes = Files.createDirectories(out.resolve("classes"));
      Path generated = Files.createDirectories(out.resolve("generated"));
      try (StandardJavaFileManager files =
          javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
        List<String> options =
            List.of(
                "-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString(),
                "-s", generated.toString(),
                "-implicit:none");
        JavaCompiler.CompilationTask task =
            javac.getTask(null, files, diagnostics, options, null, units);
        task.setProcessors(processors);
        boolean success = task.call();
        return new Compilation(success, diagnostics.getDiagnostics(), List.copyOf(units), classes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fileName(String source) {
    Matcher type = TYPE.matcher(source);
    if (!type.find()) {
      throw new IllegalArgumentException("no type declaration in source:\n" + source);
    }
    Matcher pkg = PACKAGE.matcher(source);
    String folder = pkg.find() ? pkg.group(1).replace('.', '/') + "/" : "";
    return folder + type.group(1) + ".java";
  }

  /** A source file held in memory. */
  static final class StringSource extends SimpleJavaFileObject {
    private final String text;

    StringSource(String path, String text) {
      super(URI.create("mem:///" + path), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }

    String text() {
      return text;
    }
  }
}
