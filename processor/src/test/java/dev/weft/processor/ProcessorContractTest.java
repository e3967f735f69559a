package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What javac and other processors may rely on: never claiming, the declared support. */
class ProcessorContractTest {

  @TempDir Path out;

  private static final String SOURCE =
      String.join(
          "\n",
          "package com.acme;",
          "import dev.weft.annotation.Cached;",
          "public class Users {",
          "  @Cached(key = \"user:{id}\")",
          "  public String find(long id) { return null; }",
          "}",
          "");

  @Test
  void process_returnsFalse_soALaterProcessorStillSeesCached() {
    Recording weft = new Recording(new WeftProcessor());
    CachedSpy spy = new CachedSpy();

    Compilation compilation =
        TestCompiler.withProcessors(weft, spy).outputTo(out).compile(SOURCE);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(weft.results).isNotEmpty().containsOnly(false);
    assertThat(spy.annotated).containsExactly("find(long)");
  }

  @Test
  void process_returnsFalse_evenWhenItReportsErrors() {
    Recording weft = new Recording(new WeftProcessor());

    Compilation compilation =
        TestCompiler.withProcessors(weft)
            .outputTo(out)
            .compile(SOURCE.replace("user:{id}", "user:{nope}"));

    assertThat(compilation).failed();
    assertThat(weft.results).isNotEmpty().containsOnly(false);
  }

  @Test
  void process_returnsFalse_forEveryWeftAnnotation_repeatedOrNot() {
    Recording weft = new Recording(new WeftProcessor());

    Compilation compilation =
        TestCompiler.withProcessors(weft)
            .outputTo(out)
            .compile(
                String.join(
                    "\n",
                    "package com.acme;",
                    "import dev.weft.annotation.*;",
                    "public class Users {",
                    "  @WriteThrough(key = \"user:{id}\")",
                    "  public String save(long id) { return null; }",
                    "  @Invalidate(keys = \"user:{id}\")",
                    "  @Invalidate(tags = \"users\")",
                    "  public void delete(long id) {}",
                    "  @DistributedLock(key = \"user:{id}\", onLocked = DistributedLock.OnLocked.SKIP)",
                    "  public void lock(long id) {}",
                    "}",
                    ""));

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(weft.results).isNotEmpty().containsOnly(false);
  }

  /** Every annotation, so that it also writes the woven-classes index where nothing is woven. */
  @Test
  void supports_everyAnnotation_atTheLatestSourceVersion() {
    WeftProcessor processor = new WeftProcessor();

    assertThat(processor.getSupportedAnnotationTypes()).containsExactly("*");
    assertThat(processor.getSupportedSourceVersion()).isEqualTo(SourceVersion.latestSupported());
  }

  /** Supporting {@code "*"} claims nothing either: another processor's annotation reaches it. */
  @Test
  void process_returnsFalse_soALaterProcessorStillSeesItsOwnAnnotation() {
    Recording weft = new Recording(new WeftProcessor());
    DeprecatedSpy spy = new DeprecatedSpy();

    Compilation compilation =
        TestCompiler.withProcessors(weft, spy)
            .outputTo(out)
            .compile(SOURCE.replace("  @Cached", "  @Deprecated\n  @Cached"));

    assertThat(compilation.success()).as(compilation.describe()).isTrue();
    assertThat(weft.results).isNotEmpty().containsOnly(false);
    assertThat(spy.annotated).containsExactly("find(long)");
  }

  @Test
  void serviceFile_registersTheProcessor() {
    List<String> found =
        java.util.ServiceLoader.load(Processor.class, getClass().getClassLoader()).stream()
            .map(provider -> provider.type().getName())
            .collect(Collectors.toList());

    assertThat(found).contains(WeftProcessor.class.getName());
  }

  /** Delegates to a processor and records what each {@code process} call returned. */
  static final class Recording extends ForwardingProcessor {
    final List<Boolean> results = new ArrayList<>();

    Recording(Processor delegate) {
      super(delegate);
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
      boolean claimed = super.process(annotations, roundEnv);
      results.add(claimed);
      return claimed;
    }
  }

  /** Runs after Weft and records the methods javac still hands it as {@code @Deprecated}. */
  static final class DeprecatedSpy extends AbstractProcessor {
    final List<String> annotated = new ArrayList<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("java.lang.Deprecated");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
      for (TypeElement annotation : annotations) {
        for (Element element : roundEnv.getElementsAnnotatedWith(annotation)) {
          annotated.add(Describe.method((ExecutableElement) element));
        }
      }
      return false;
    }
  }

  /** Runs after Weft and records the methods javac still hands it as {@code @Cached}. */
  static final class CachedSpy extends AbstractProcessor {
    final List<String> annotated = new ArrayList<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("dev.weft.annotation.Cached");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
      for (TypeElement annotation : annotations) {
        for (Element element : roundEnv.getElementsAnnotatedWith(annotation)) {
          annotated.add(Describe.method((ExecutableElement) element));
        }
      }
      return false;
    }
  }
}
