package dev.weft.processor;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link Compilation}:
 *
 * <pre>{@code
 * assertThat(compilation).failed();
 * assertThat(compilation).hadErrorContaining("no parameter named 'idd'").onLineContaining("{idd}");
 * assertThat(compilation).succeededWithoutWarnings();
 * }</pre>
 *
 * <p>The expected line is found in the source text, so a test states it by content, not by number.
 * Failure messages list every diagnostic with file and line.
 */
final class CompilationAssert extends AbstractAssert<CompilationAssert, Compilation> {

  private CompilationAssert(Compilation actual) {
    super(actual, CompilationAssert.class);
  }

  static CompilationAssert assertThat(Compilation compilation) {
    return new CompilationAssert(compilation);
  }

  /** Asserts that javac failed. */
  CompilationAssert failed() {
    isNotNull();
    if (actual.success()) {
      failWithMessage("expected the compilation to fail, but it succeeded:%n%s", actual.describe());
    }
    return this;
  }

  /** Asserts that javac succeeded without errors or warnings of any kind. */
  CompilationAssert succeededWithoutWarnings() {
    isNotNull();
    List<Diagnostic<? extends JavaFileObject>> noisy =
        actual.diagnostics().stream()
            .filter(d -> d.getKind() != Diagnostic.Kind.NOTE && d.getKind() != Diagnostic.Kind.OTHER)
            .collect(Collectors.toList());
    if (!actual.success() || !noisy.isEmpty()) {
      failWithMessage(
          "expected success without warnings, but got:%n%s", actual.describe());
    }
    return this;
  }

  /** Asserts that exactly {@code count} diagnostics of that kind were reported. */
  CompilationAssert hasCount(Diagnostic.Kind kind, int count) {
    isNotNull();
    int found = actual.diagnostics(kind).size();
    if (found != count) {
      failWithMessage("expected %s %s(s), found %s:%n%s", count, kind, found, actual.describe());
    }
    return this;
  }

  /** Asserts an error whose message contains {@code text}; then say where with the result. */
  DiagnosticOnLine hadErrorContaining(String text) {
    return hadDiagnosticContaining(Diagnostic.Kind.ERROR, text);
  }

  /** Asserts a warning whose message contains {@code text}; then say where with the result. */
  DiagnosticOnLine hadWarningContaining(String text) {
    return hadDiagnosticContaining(Diagnostic.Kind.WARNING, text);
  }

  private DiagnosticOnLine hadDiagnosticContaining(Diagnostic.Kind kind, String text) {
    isNotNull();
    List<Diagnostic<? extends JavaFileObject>> matching =
        actual.diagnostics(kind).stream()
            .filter(d -> d.getMessage(Locale.ROOT).contains(text))
            .collect(Collectors.toList());
    if (matching.isEmpty()) {
      failWithMessage(
          "expected a %s containing%n  <%s>%nbut got:%n%s", kind, text, actual.describe());
    }
    return new DiagnosticOnLine(kind, text, matching);
  }

  /** The second half of {@code hadErrorContaining(text).onLineContaining(line)}. */
  final class DiagnosticOnLine {
    private final Diagnostic.Kind kind;
    private final String text;
    private final List<Diagnostic<? extends JavaFileObject>> matching;

    private DiagnosticOnLine(
        Diagnostic.Kind kind, String text, List<Diagnostic<? extends JavaFileObject>> matching) {
      this.kind = kind;
      this.text = text;
      this.matching = matching;
    }

    /**
     * Asserts that one of the matching diagnostics is on the only source line that contains
     * {@code fragment}.
     */
    CompilationAssert onLineContaining(String fragment) {
      JavaFileObject file = null;
      long line = -1;
      for (JavaFileObject source : actual.sources()) {
        String[] lines = ((TestCompiler.StringSource) source).text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          if (lines[i].contains(fragment)) {
            if (file != null) {
              failWithMessage("more than one source line contains <%s>; be more specific", fragment);
            }
            file = source;
            line = i + 1;
          }
        }
      }
      if (file == null) {
        failWithMessage("no source line contains <%s>", fragment);
      }
      for (Diagnostic<? extends JavaFileObject> d : matching) {
        if (d.getSource() != null
            && d.getSource().toUri().equals(file.toUri())
            && d.getLineNumber() == line) {
          return CompilationAssert.this;
        }
      }
      failWithMessage(
          "expected the %s containing <%s> on %s:%s (the line containing <%s>), but got:%n%s",
          kind, text, file.getName(), line, fragment, actual.describe());
      return CompilationAssert.this;
    }
  }
}
