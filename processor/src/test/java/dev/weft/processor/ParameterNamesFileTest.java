package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.Cached;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code META-INF/weft/parameter-names/<class>.properties} resources. */
class ParameterNamesFileTest {

  private static final String FOLDER = "META-INF/weft/parameter-names/";

  @TempDir Path out;

  private static final String OUTER =
      String.join(
          "\n",
          "package com.acme;",
          "import dev.weft.annotation.Cached;",
          "import java.util.List;",
          "public class Outer {",
          "  public static class Inner {",
          "    public static class Filter { private String term; }",
          "    @Cached(key = \"{id}\")",
          "    public String find(long id) { return null; }",
          "    @Cached",
          "    public String search(String[] terms, int[][] grid, Filter filter, List<String> tags) {",
          "      return null;",
          "    }",
          "    @Cached",
          "    public <T extends Number> String generic(T value, boolean flag, String... rest) {",
          "      return null;",
          "    }",
          "    @Cached(key = \"ping\")",
          "    public String ping() { return null; }",
          "    public String notCached(long id) { return null; }",
          "  }",
          "  @Cached(key = \"{flag}\")",
          "  public String top(boolean flag) { return null; }",
          "}",
          "");

  @Test
  void nestedClass_fileHasOneLinePerMethodWithRuntimeTypeNames() throws IOException {
    Compilation compilation = TestSources.compile(out, OUTER);
    assertThat(compilation).succeededWithoutWarnings();

    String text = compilation.resource(FOLDER + "com.acme.Outer$Inner.properties");
    assertThat(text.lines().filter(line -> !line.startsWith("#")))
        .containsExactly(
            "find(long)=id",
            "search(java.lang.String[],int[][],com.acme.Outer$Inner$Filter,java.util.List)"
                + "=terms,grid,filter,tags",
            "generic(java.lang.Number,boolean,java.lang.String[])=value,flag,rest",
            "ping()=");
    assertThat(compilation.resource(FOLDER + "com.acme.Outer.properties").lines())
        .contains("top(boolean)=flag");
    assertThat(Files.exists(compilation.classOutput().resolve(FOLDER + "com.acme.Outer$Inner$Filter.properties")))
        .isFalse();
  }

  /**
   * The contract with the runtime: the key built from a {@link Method} by reflection finds the
   * names, and {@link Properties#load(InputStream)} reads the file, for a class compiled without
   * {@code -parameters}.
   */
  @Test
  void runtimeKeysFromReflection_findTheNamesThroughProperties() throws Exception {
    Compilation compilation = TestSources.compile(out, OUTER);
    assertThat(compilation).succeededWithoutWarnings();

    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {compilation.classOutput().toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> inner = loader.loadClass("com.acme.Outer$Inner");
      Properties names = new Properties();
      try (InputStream in = loader.getResourceAsStream(FOLDER + inner.getName() + ".properties")) {
        names.load(in);
      }
      Map<String, String> expected = new HashMap<>();
      for (Method method : inner.getDeclaredMethods()) {
        if (method.isAnnotationPresent(Cached.class)) {
          assertThat(method.getParameters()).allMatch(p -> !p.isNamePresent());
          String key =
              method.getName()
                  + Arrays.stream(method.getParameterTypes())
                      .map(Class::getTypeName)
                      .collect(Collectors.joining(",", "(", ")"));
          expected.put(key, names.getProperty(key));
        }
      }
      assertThat(expected)
          .containsOnly(
              Map.entry("find(long)", "id"),
              Map.entry(
                  "search(java.lang.String[],int[][],com.acme.Outer$Inner$Filter,java.util.List)",
                  "terms,grid,filter,tags"),
              Map.entry("generic(java.lang.Number,boolean,java.lang.String[])", "value,flag,rest"),
              Map.entry("ping()", ""));
      assertThat(names).hasSize(4);
    }
  }

  /**
   * Every Weft annotation counts, not only {@code @Cached}: a class whose methods carry only
   * {@code @WriteThrough} or (repeated) {@code @Invalidate} gets its file, and a method with
   * several annotations has one line.
   */
  @Test
  void writeThroughAndInvalidate_alsoGetTheirNames_oneLinePerMethod() {
    String source =
        String.join(
            "\n",
            "package com.acme;",
            "import dev.weft.annotation.*;",
            "public class Orders {",
            "  @WriteThrough(key = \"order:{id}\")",
            "  public String save(long id, String body) { return body; }",
            "  @Invalidate(keys = \"order:{id}\")",
            "  public void delete(long id) {}",
            "  @Invalidate(keys = \"order:{id}\")",
            "  @Invalidate(tags = \"customer:{customer}\")",
            "  public void cancel(long id, String customer) {}",
            "  @Cached(key = \"order:{id}\")",
            "  @Invalidate(tags = \"stale:{id}\")",
            "  public String refresh(long id) { return null; }",
            "  public void plain(long id) {}",
            "}",
            "");
    Compilation compilation = TestSources.compile(out, source);
    assertThat(compilation).succeededWithoutWarnings();

    assertThat(
            compilation
                .resource(FOLDER + "com.acme.Orders.properties")
                .lines()
                .filter(line -> !line.startsWith("#")))
        .containsExactly(
            "save(long,java.lang.String)=id,body",
            "delete(long)=id",
            "cancel(long,java.lang.String)=id,customer",
            "refresh(long)=id");
  }

  @Test
  void nonAsciiNames_areEscapedSoPropertiesReadsThemBack() throws IOException {
    String source =
        String.join(
            "\n",
            "package com.acme;",
            "import dev.weft.annotation.Cached;",
            "public class Größen {",
            "  @Cached(key = \"{straße}\")",
            "  public String größe(String straße, int $x) { return null; }",
            "}",
            "");
    Compilation compilation = TestSources.compile(out, source);
    assertThat(compilation).succeededWithoutWarnings();

    Path file = compilation.classOutput().resolve(FOLDER + "com.acme.Größen.properties");
    byte[] bytes = Files.readAllBytes(file);
    for (byte b : bytes) {
      assertThat(b & 0xff).as("every byte is ASCII").isLessThan(0x80);
    }
    Properties names = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      names.load(in);
    }
    assertThat(names).containsOnly(Map.entry("größe(java.lang.String,int)", "straße,$x"));
  }

  @Test
  void escape_roundTripsThroughProperties() throws IOException {
    String key = " a=b:c#d!e\\f g\tü€";
    String value = " x=y, z\n";
    String line = ParameterNamesFile.escape(key, true) + "=" + ParameterNamesFile.escape(value, false);
    Properties properties = new Properties();
    properties.load(new java.io.ByteArrayInputStream(line.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    assertThat(properties).containsOnly(Map.entry(key, value));
  }

  /**
   * A class whose parameter type another processor generates is unresolved in the first round; its
   * file is written in the round where the type exists, with the type's real name, and the
   * generated class (which is itself annotated) gets its own file.
   */
  @Test
  void generatedTypes_fileIsWrittenInTheRoundWhereTheTypeResolves() {
    String repository =
        String.join(
            "\n",
            "package com.acme;",
            "import dev.weft.annotation.Cached;",
            "import com.acme.gen.Generated;",
            "public class Repository {",
            "  @Cached(key = \"{key.id}\")",
            "  public String find(Generated.Key key, int[] extra) { return null; }",
            "}",
            "");
    Compilation compilation =
        TestCompiler.withProcessors(new WeftProcessor(), new GeneratingProcessor())
            .outputTo(out)
            .compile(repository);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.resource(FOLDER + "com.acme.Repository.properties").lines())
        .contains("find(com.acme.gen.Generated$Key,int[])=key,extra");
    assertThat(compilation.resource(FOLDER + "com.acme.gen.Generated.properties").lines())
        .contains("look(java.lang.String)=name");
  }

  /**
   * When the resource already exists in this compilation (an IDE or build tool processing the
   * class again, or another tool writing it first), the processor leaves it alone instead of
   * failing the build with a {@code FilerException}.
   */
  @Test
  void existingResource_isLeftAloneWithoutFailing() {
    String source =
        String.join(
            "\n",
            "package com.acme;",
            "import dev.weft.annotation.Cached;",
            "public class Users {",
            "  @Cached(key = \"{id}\")",
            "  public String find(long id) { return null; }",
            "}",
            "");
    Compilation compilation =
        TestCompiler.withProcessors(new ResourceFirst(FOLDER + "com.acme.Users.properties"), new WeftProcessor())
            .outputTo(out)
            .compile(source);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.resource(FOLDER + "com.acme.Users.properties")).isEqualTo("first\n");
  }

  /** Does its work once, in its first round, and claims nothing. */
  abstract static class FirstRoundProcessor extends AbstractProcessor {
    private boolean done;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
      if (!done) {
        done = true;
        try {
          firstRound();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }

    abstract void firstRound() throws IOException;
  }

  /** Creates one resource in its first round, before any other processor can. */
  static final class ResourceFirst extends FirstRoundProcessor {
    private final String path;

    ResourceFirst(String path) {
      this.path = path;
    }

    @Override
    void firstRound() throws IOException {
      try (Writer writer =
          processingEnv
              .getFiler()
              .createResource(StandardLocation.CLASS_OUTPUT, "", path)
              .openWriter()) {
        writer.write("first\n");
      }
    }
  }

  /** Generates {@code com.acme.gen.Generated}, with a {@code @Cached} method, in its first round. */
  static final class GeneratingProcessor extends FirstRoundProcessor {
    @Override
    void firstRound() throws IOException {
      try (Writer writer =
          processingEnv.getFiler().createSourceFile("com.acme.gen.Generated").openWriter()) {
        writer.write(
            String.join(
                "\n",
                "package com.acme.gen;",
                "public class Generated {",
                "  public record Key(long id) {}",
                "  @dev.weft.annotation.Cached(key = \"{name}\")",
                "  public String look(String name) { return name; }",
                "}",
                ""));
      }
    }
  }
}
