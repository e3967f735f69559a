package dev.weft.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * What one {@link TestCompiler} run produced: whether javac succeeded, its diagnostics, the
 * sources it read and the class output folder.
 *
 * @param success whether javac reported success
 * @param diagnostics every diagnostic, in the order javac reported them
 * @param sources the compiled sources
 * @param classOutput the folder with the class files and resources
 */
record Compilation(
    boolean success,
    List<Diagnostic<? extends JavaFileObject>> diagnostics,
    List<JavaFileObject> sources,
    Path classOutput) {

  /** @return the diagnostics of that kind, in order */
  List<Diagnostic<? extends JavaFileObject>> diagnostics(Diagnostic.Kind kind) {
    return diagnostics.stream().filter(d -> d.getKind() == kind).collect(Collectors.toList());
  }

  /** @return the text of a generated resource, such as {@code META-INF/x.properties} */
  String resource(String path) {
    try {
      return Files.readString(classOutput.resolve(path), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return every diagnostic as javac would print it, file:line: kind: message, one a line */
  String describe() {
    return diagnostics.stream().map(Compilation::describe).collect(Collectors.joining("\n"));
  }

  static String describe(Diagnostic<? extends JavaFileObject> d) {
    String file = d.getSource() == null ? "<no file>" : d.getSource().getName();
    return file
        + ":"
        + d.getLineNumber()
        + ": "
        + d.getKind().toString().toLowerCase(Locale.ROOT)
        + ": "
        + d.getMessage(Locale.ROOT);
  }
}
