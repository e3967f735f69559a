package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.Cached;
import dev.weft.processor.WeftProcessor;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The woven-classes index as users get it: applications compiled here by javac with (or without)
 * weft-processor, packaged as a folder or a jar, run in their own JVM under {@code
 * -javaagent:weft-agent.jar}. Each woven {@code @Cached} method is called twice with a key of this
 * run: its body runs once when it is woven, twice when not.
 */
@Tag("redis")
@WeftRedis
class WovenIndexIT {

  private static final String INDEX = "META-INF/weft/woven-classes";

  /** How an application's classes reach its class path. */
  enum Packaging {
    FOLDER,
    JAR
  }

  @TempDir Path work;

  /**
   * A top-level class, a nested one ({@code $} in its binary name) and an anonymous one, each with
   * a {@code @Cached} method. The processor lists the first two; the anonymous class, which no
   * processor can see, is matched by its annotation.
   */
  private static final String INDEXED_APP =
      """
      package example.indexed;

      import dev.weft.annotation.Cached;
      import java.util.concurrent.atomic.AtomicInteger;

      public class IndexedApp {
        static final AtomicInteger topCalls = new AtomicInteger();
        static final AtomicInteger nestedCalls = new AtomicInteger();
        static final AtomicInteger anonymousCalls = new AtomicInteger();

        interface Source {
          String get(String run);
        }

        @Cached(key = "top:{0}", ttl = "1m")
        public String top(String run) {
          topCalls.incrementAndGet();
          return "top " + run;
        }

        public static class Nested {
          @Cached(key = "nested:{0}", ttl = "1m")
          public String nested(String run) {
            nestedCalls.incrementAndGet();
            return "nested " + run;
          }
        }

        public static void main(String[] args) {
          String run = args[0];
          IndexedApp app = new IndexedApp();
          app.top(run);
          app.top(run);
          Nested nested = new Nested();
          nested.nested(run);
          nested.nested(run);
          Source anonymous = new Source() {
            @Cached(key = "anonymous:{0}", ttl = "1m")
            public String get(String r) {
              anonymousCalls.incrementAndGet();
              return "anonymous " + r;
            }
          };
          anonymous.get(run);
          anonymous.get(run);
          System.out.println("top.calls=" + topCalls.get());
          System.out.println("nested.calls=" + nestedCalls.get());
          System.out.println("anonymous.calls=" + anonymousCalls.get());
          System.out.println("done=true");
          System.exit(0);
        }
      }
      """;

  @ParameterizedTest
  @EnumSource(Packaging.class)
  void classesListedInTheIndex_areWoven(Packaging packaging, RedisServer server) throws Exception {
    Path classes = compile("indexed", true, INDEXED_APP);
    assertThat(listed(classes))
        .containsExactly("example.indexed.IndexedApp", "example.indexed.IndexedApp$Nested");

    AgentJvm.Run run = runApp(server, packaging, classes, "example.indexed.IndexedApp");

    assertThat(run.facts())
        .containsEntry("done", "true")
        .containsEntry("top.calls", "1")
        .containsEntry("nested.calls", "1")
        .as("local and anonymous classes are matched by their annotations")
        .containsEntry("anonymous.calls", "1");
  }

  /** Classes compiled without the processor: no index, so the agent matches their annotations. */
  @ParameterizedTest
  @EnumSource(Packaging.class)
  void classesWithoutAnIndex_areWovenByTheirAnnotations(Packaging packaging, RedisServer server)
      throws Exception {
    Path classes = compile("plain", false, INDEXED_APP);
    assertThat(classes.resolve(INDEX)).doesNotExist();

    AgentJvm.Run run = runApp(server, packaging, classes, "example.indexed.IndexedApp");

    assertThat(run.facts())
        .containsEntry("done", "true")
        .containsEntry("top.calls", "1")
        .containsEntry("nested.calls", "1")
        .containsEntry("anonymous.calls", "1");
  }

  /**
   * The index is trusted: a class it leaves out is not read, so its annotations are not seen,
   * while the listed class next to it is woven. This is what lets the agent skip every unlisted
   * class without parsing it.
   */
  @ParameterizedTest
  @EnumSource(Packaging.class)
  void annotatedClassLeftOutOfTheIndex_isNotWoven(Packaging packaging, RedisServer server)
      throws Exception {
    Path classes = compile("trusted", true, INDEXED_APP);
    Path index = classes.resolve(INDEX);
    Files.writeString(
        index,
        Files.readString(index).replace("example.indexed.IndexedApp$Nested\n", ""),
        StandardCharsets.UTF_8);
    assertThat(listed(classes)).containsExactly("example.indexed.IndexedApp");

    AgentJvm.Run run = runApp(server, packaging, classes, "example.indexed.IndexedApp");

    assertThat(run.facts())
        .containsEntry("done", "true")
        .containsEntry("top.calls", "1")
        .containsEntry("nested.calls", "2");
  }

  /** An index this agent does not know how to read is not trusted: it says so, then matches. */
  @Test
  void indexOfAnotherFormat_isIgnoredWithAWarning(RedisServer server) throws Exception {
    Path classes = compile("future", true, INDEXED_APP);
    Files.writeString(classes.resolve(INDEX), "# weft-woven-classes 2\n", StandardCharsets.UTF_8);

    AgentJvm.Run run = runApp(server, Packaging.JAR, classes, "example.indexed.IndexedApp");

    assertThat(run.facts())
        .containsEntry("done", "true")
        .containsEntry("top.calls", "1")
        .containsEntry("nested.calls", "1");
    assertThat(run.output())
        .contains("WARNING: Weft cannot read " + INDEX + " in ")
        .contains("future.jar");
  }

  /**
   * A class the agent cannot transform still loads and runs, unwoven, and the agent names it in a
   * warning; other classes are woven as usual. The failure is a real one: {@code huge} is a
   * method just under the JVM's 64 KiB code limit, which the inlined advice pushes over it, so
   * ByteBuddy's class writer throws ({@code MethodTooLargeException}).
   */
  @Test
  void classThatCannotBeWoven_loadsAndRunsUnwoven_andIsLogged(RedisServer server)
      throws Exception {
    Path classes = compile("failing", true, hugeApp());
    assertThat(listed(classes)).containsExactly("example.failing.Fine", "example.failing.HugeApp");

    AgentJvm.Run run = runApp(server, Packaging.JAR, classes, "example.failing.HugeApp");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.facts())
        .containsEntry("done", "true")
        .containsEntry("huge", "huge ok")
        .containsEntry("huge.calls", "2")
        .containsEntry("fine.calls", "1");
    assertThat(run.output())
        .contains(
            "WARNING: Weft could not weave example.failing.HugeApp;"
                + " it runs without Weft's annotations");
  }

  /**
   * {@code HugeApp.huge} holds 5,455 statements {@code s = s * 31 + 7;} of 12 bytes of bytecode each
   * (getstatic, bipush, imul, bipush, iadd, putstatic): 65,473 bytes of code in all, 62 under the
   * JVM's limit of 65,535, fewer than the advice adds.
   */
  private static String hugeApp() {
    String body =
        Stream.generate(() -> "    s = s * 31 + 7;").limit(5_455).collect(Collectors.joining("\n"));
    return """
        package example.failing;

        import dev.weft.annotation.Cached;
        import java.util.concurrent.atomic.AtomicInteger;

        public class HugeApp {
          static final AtomicInteger hugeCalls = new AtomicInteger();
          static int s;

          @Cached(key = "huge:{0}", ttl = "1m")
          public static String huge(String run) {
            hugeCalls.incrementAndGet();
        %s
            return "huge ok";
          }

          public static void main(String[] args) {
            String run = args[0];
            huge(run);
            System.out.println("huge=" + huge(run));
            System.out.println("huge.calls=" + hugeCalls.get());
            Fine fine = new Fine();
            fine.fine(run);
            fine.fine(run);
            System.out.println("fine.calls=" + Fine.calls.get());
            System.out.println("done=true");
            System.exit(0);
          }
        }

        class Fine {
          static final AtomicInteger calls = new AtomicInteger();

          @Cached(key = "fine:{0}", ttl = "1m")
          String fine(String run) {
            calls.incrementAndGet();
            return "fine";
          }
        }
        """
        .formatted(body);
  }

  /** Runs the application with a key prefix of its own, so that no other run's entries hit. */
  private AgentJvm.Run runApp(RedisServer server, Packaging packaging, Path classes, String main)
      throws Exception {
    String entry = packaging == Packaging.JAR ? jar(classes).toString() : classes.toString();
    return AgentJvm.run(
        server.url(),
        List.of(entry, AgentJvm.location(Cached.class)),
        main,
        UUID.randomUUID().toString());
  }

  /** @return the names the index lists */
  private static List<String> listed(Path classes) throws IOException {
    return Files.readAllLines(classes.resolve(INDEX), StandardCharsets.UTF_8).stream()
        .filter(line -> !line.startsWith("#"))
        .collect(Collectors.toList());
  }

  /**
   * Compiles one source, with weft-annotations alone on the class path, as a user's build does.
   *
   * @param name the output folder's name under the test's folder
   * @param withProcessor whether weft-processor runs (and so writes the index)
   * @return the class output folder
   */
  private Path compile(String name, boolean withProcessor, String source) throws Exception {
    Path out = Files.createDirectories(work.resolve(name));
    String path =
        source.lines()
                .filter(l -> l.startsWith("package "))
                .findFirst()
                .orElseThrow()
                .substring("package ".length())
                .replace(";", "")
                .replace('.', '/')
            + "/"
            + source.lines()
                .filter(l -> l.startsWith("public class "))
                .findFirst()
                .orElseThrow()
                .split(" ")[2]
            + ".java";
    JavaFileObject unit =
        new SimpleJavaFileObject(URI.create("mem:///" + path), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> options = new ArrayList<>();
    options.addAll(List.of("-classpath", AgentJvm.location(Cached.class), "-d", out.toString()));
    if (!withProcessor) {
      options.add("-proc:none");
    }
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      JavaCompiler.CompilationTask task =
          javac.getTask(null, files, diagnostics, options, null, List.of(unit));
      if (withProcessor) {
        task.setProcessors(List.of(new WeftProcessor()));
      }
      boolean success = task.call();
      assertThat(success).as("javac: %s", diagnostics.getDiagnostics()).isTrue();
    }
    return out;
  }

  /** @return a jar of the folder's files, named after the folder, beside it */
  private static Path jar(Path folder) throws IOException {
    Path jar = folder.resolveSibling(folder.getFileName() + ".jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> paths = Files.walk(folder)) {
      for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(folder.relativize(path).toString().replace('\\', '/')));
        Files.copy(path, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
