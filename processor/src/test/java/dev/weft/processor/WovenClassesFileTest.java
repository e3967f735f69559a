package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.tools.Diagnostic;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code META-INF/weft/woven-classes} index that the agent reads. */
class WovenClassesFileTest {

  private static final String INDEX = "META-INF/weft/woven-classes";
  private static final String HEADER = "# weft-woven-classes 1";

  @TempDir Path out;

  private static final String OUTER =
      String.join(
          "\n",
          "package com.acme;",
          "import dev.weft.annotation.*;",
          "import java.util.function.Supplier;",
          "public class Outer {",
          "  @Cached(key = \"{id}\")",
          "  public String top(long id) { return null; }",
          "  public static class Inner {",
          "    @Invalidate(keys = \"x:{id}\")",
          "    public void drop(long id) {}",
          "    public static class Deeper {",
          "      @RateLimited(key = \"api\", permits = 10, window = \"1s\")",
          "      @RateLimited(key = \"api\", permits = 1000, window = \"1h\")",
          "      public void call() {}",
          "    }",
          "  }",
          "  public static class Unannotated {",
          "    public String find(long id) { return null; }",
          "  }",
          "  public Supplier<String> anonymous() {",
          "    return new Supplier<String>() {",
          "      @Cached(key = \"anonymous\")",
          "      public String get() { return null; }",
          "    };",
          "  }",
          "}",
          "");

  private static final String PLAIN =
      String.join(
          "\n",
          "package com.acme;",
          "public class Plain {",
          "  @Deprecated",
          "  public String find(long id) { return null; }",
          "}",
          "");

  @Test
  void classesWithAnnotatedMethods_areListedByBinaryName_sorted_othersAreNot() {
    Compilation compilation = TestSources.compile(out, OUTER, PLAIN);
    assertThat(compilation).succeededWithoutWarnings();

    assertThat(compilation.resource(INDEX).lines().findFirst()).hasValue(HEADER);
    assertThat(names(compilation))
        .as("no Plain, no Outer$Unannotated; the anonymous Outer$1 is invisible to processors")
        .containsExactly("com.acme.Outer", "com.acme.Outer$Inner", "com.acme.Outer$Inner$Deeper");
  }

  /**
   * The index says "compiled with the processor, nothing to weave here", so the agent skips every
   * class of such an output without parsing it.
   */
  @Test
  void compilationWithoutWeftAnnotations_writesAnIndexWithTheHeaderAlone() {
    Compilation compilation = TestSources.compile(out, PLAIN);
    assertThat(compilation).succeededWithoutWarnings();

    assertThat(compilation.resource(INDEX).lines().findFirst()).hasValue(HEADER);
    assertThat(names(compilation)).isEmpty();
  }

  @Test
  void compilationWithoutAnyAnnotation_writesAnIndexWithTheHeaderAlone() {
    Compilation compilation =
        TestSources.compile(out, "package com.acme;\npublic class Bare { int x; }\n");
    assertThat(compilation).succeededWithoutWarnings();

    assertThat(compilation.resource(INDEX).lines().findFirst()).hasValue(HEADER);
    assertThat(names(compilation)).isEmpty();
  }

  @Test
  void everyWeftAnnotation_putsItsClassInTheIndex() {
    Compilation compilation =
        TestSources.compile(
            out,
            TestSources.MODEL,
            TestSources.type(
                "public class C1",
                "  @Cached(key = \"{id}\") public String m(long id) { return null; }"),
            TestSources.type(
                "public class C2",
                "  @CachedBulk(key = \"p:{skus}\")",
                "  public Map<String, com.acme.Model.Product> m(List<String> skus) { return null; }"),
            TestSources.type(
                "public class C3",
                "  @WriteThrough(key = \"{id}\") public String m(long id) { return null; }"),
            TestSources.type(
                "public class C4", "  @Invalidate(keys = \"{id}\") public void m(long id) {}"),
            TestSources.type(
                "public class C5",
                "  @Invalidate(keys = \"{id}\") @Invalidate(tags = \"t\") public void m(long id) {}"),
            TestSources.type(
                "public class C6",
                "  @RateLimited(key = \"k\", permits = 1, window = \"1s\") public void m() {}"),
            TestSources.type(
                "public class C7",
                "  @RateLimited(key = \"k\", permits = 1, window = \"1s\")",
                "  @RateLimited(key = \"k\", permits = 9, window = \"1m\") public void m() {}"),
            TestSources.type(
                "public class C8", "  @DistributedLock(key = \"k\") public void m() {}"),
            TestSources.type(
                "public class C9", "  @Counted(key = \"views:{id}\") public void m(long id) {}"),
            TestSources.type(
                "public class D1",
                "  @Counted(key = \"views:{id}\") @Counted(key = \"views\") public void m(long id) {}"));
    assertThat(compilation).succeededWithoutWarnings();

    assertThat(names(compilation))
        .containsExactly(
            "com.acme.C1", "com.acme.C2", "com.acme.C3", "com.acme.C4", "com.acme.C5",
            "com.acme.C6", "com.acme.C7", "com.acme.C8", "com.acme.C9", "com.acme.D1");
  }

  /** Listener methods are found by reflection, not woven: their classes stay out of the index. */
  @Test
  void listenerAnnotations_doNotPutTheirClassInTheIndex() {
    Compilation compilation =
        TestSources.compile(
            out,
            TestSources.type(
                "public class Listeners",
                "  @Subscribe(channel = \"orders\") public void onOrder(String order) {}"),
            TestSources.type(
                "public class Both",
                "  @Subscribe(channel = \"orders\") public void onOrder(String order) {}",
                "  @Cached(key = \"{id}\") public String m(long id) { return null; }"));
    assertThat(compilation).succeededWithoutWarnings();

    assertThat(names(compilation)).containsExactly("com.acme.Both");
  }

  /** A type generated by another processor is listed too, from the round in which it appears. */
  @Test
  void generatedClass_isListedWithTheOthers() {
    String repository =
        String.join(
            "\n",
            "package com.acme;",
            "import dev.weft.annotation.Cached;",
            "public class Repository {",
            "  @Cached(key = \"{key.id}\")",
            "  public String find(com.acme.gen.Generated.Key key) { return null; }",
            "}",
            "");
    Compilation compilation =
        TestCompiler.withProcessors(
                new WeftProcessor(), new ParameterNamesFileTest.GeneratingProcessor())
            .outputTo(out)
            .compile(repository);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(names(compilation)).containsExactly("com.acme.Repository", "com.acme.gen.Generated");
  }

  /**
   * An IDE compiles only the changed sources into the same output: the index keeps the classes an
   * earlier compilation listed instead of shrinking to the ones just compiled, which the agent,
   * trusting the index, would otherwise stop weaving.
   */
  @Test
  void incrementalCompilation_keepsTheClassesOfTheEarlierIndex() {
    assertThat(TestSources.compile(out, OUTER)).succeededWithoutWarnings();
    String orders =
        TestSources.type(
            "public class Orders", "  @Cached(key = \"{id}\") public String m(long id) { return null; }");

    Compilation again = TestSources.compile(out, orders, PLAIN);

    assertThat(again).succeededWithoutWarnings();
    assertThat(names(again))
        .containsExactly(
            "com.acme.Orders",
            "com.acme.Outer",
            "com.acme.Outer$Inner",
            "com.acme.Outer$Inner$Deeper");
  }

  @Test
  void earlierIndexOfAnotherFormat_isReplaced() throws IOException {
    Path old = Files.createDirectories(out.resolve("classes/META-INF/weft")).resolve("woven-classes");
    Files.writeString(old, "# weft-woven-classes 99\ncom.acme.Stale\n", StandardCharsets.UTF_8);

    Compilation compilation = TestSources.compile(out, PLAIN);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.resource(INDEX).lines().findFirst()).hasValue(HEADER);
    assertThat(names(compilation)).isEmpty();
  }

  /**
   * Without the index the agent matches every class by its annotations: slower at start-up, same
   * weaving. So a failure to write it warns and the build goes on.
   */
  @Test
  void indexThatCannotBeWritten_isAWarning_andTheBuildSucceeds() {
    Compilation compilation =
        TestCompiler.withProcessors(new RefusingIndex(new WeftProcessor()))
            .outputTo(out)
            .compile(OUTER);

    assertThat(compilation.success()).as(compilation.describe()).isTrue();
    assertThat(compilation).hasCount(Diagnostic.Kind.ERROR, 0);
    assertThat(compilation).hadWarningContaining("could not write META-INF/weft/woven-classes");
    assertThat(compilation.classOutput().resolve(INDEX)).doesNotExist();
  }

  @Test
  void indexIsUtf8() throws IOException {
    String source =
        String.join(
            "\n",
            "package com.acme;",
            "import dev.weft.annotation.Cached;",
            "public class Größen {",
            "  @Cached(key = \"{0}\")",
            "  public String größe(String straße) { return null; }",
            "}",
            "");
    Compilation compilation = TestSources.compile(out, source);
    assertThat(compilation).succeededWithoutWarnings();

    assertThat(Files.readAllLines(compilation.classOutput().resolve(INDEX), StandardCharsets.UTF_8))
        .contains("com.acme.Größen");
  }

  /** @return the class names the index lists, in its order */
  private static List<String> names(Compilation compilation) {
    return compilation.resource(INDEX).lines().filter(line -> !line.startsWith("#")).toList();
  }

  /** Runs a processor with a Filer that refuses to create the index. */
  static final class RefusingIndex extends ForwardingProcessor {
    RefusingIndex(WeftProcessor delegate) {
      super(delegate);
    }

    @Override
    public void init(ProcessingEnvironment processingEnv) {
      Filer real = processingEnv.getFiler();
      Filer refusing =
          proxy(
              Filer.class,
              (self, method, args) -> {
                if (method.getName().equals("createResource")
                    && args[0] == StandardLocation.CLASS_OUTPUT
                    && INDEX.contentEquals((CharSequence) args[2])) {
                  throw new IOException("disk full");
                }
                return invoke(real, method, args);
              });
      super.init(
          proxy(
              ProcessingEnvironment.class,
              (self, method, args) ->
                  method.getName().equals("getFiler")
                      ? refusing
                      : invoke(processingEnv, method, args)));
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
      return type.cast(
          Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, Method method, Object[] args)
        throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
