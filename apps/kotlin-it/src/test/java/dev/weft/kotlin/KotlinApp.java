package dev.weft.kotlin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Kotlin application ({@code example.kotlin.MainKt}) in a JVM of its own with the given
 * agents, as a user starts it, and collects the {@code key=value} lines it printed. Its class
 * path is the compiled Kotlin classes (one jvmTarget), kotlin-stdlib and weft-annotations: nothing
 * of Weft's runtime but what the agent brings.
 */
final class KotlinApp {

  /** Which compilation of the same Kotlin sources runs. */
  enum Target {
    /** Kotlin's default jvmTarget 1.8: class files of version 52. */
    JVM_8("weft.kotlin.classes.jvm8", 52),
    /** jvmTarget 17: class files of version 61. */
    JVM_17("weft.kotlin.classes.jvm17", 61);

    final String property;
    final int classVersion;

    Target(String property, int classVersion) {
      this.property = property;
      this.classVersion = classVersion;
    }

    Path classes() {
      Path path = Paths.get(System.getProperty(property, "missing:" + property));
      assertThat(path).isDirectory();
      return path;
    }
  }

  /**
   * What the child JVM did.
   *
   * @param exitCode its exit code
   * @param output stdout and stderr, interleaved
   * @param facts its {@code key=value} lines
   */
  record Run(int exitCode, String output, Map<String, String> facts) {}

  private KotlinApp() {}

  /** @return the path of a {@code -javaagent} jar named by a system property of the build */
  static Path jar(String property) {
    Path jar = Paths.get(System.getProperty(property, "missing:" + property));
    assertThat(jar).as(property).isRegularFile();
    return jar.toAbsolutePath();
  }

  /**
   * @param redisUrl the Redis the application's Weft uses, not {@code null}
   * @param target the compilation that runs, not {@code null}
   * @param jvmOptions the {@code -javaagent} options, in order, and any other
   * @param parts the parts of the application that run; none means all
   * @return what it did; it was given at most 90 s
   */
  static Run run(String redisUrl, Target target, List<String> jvmOptions, String... parts)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, target.classes().toString(),
        location(kotlin.Unit.class), location(dev.weft.annotation.Cached.class)));
    command.add("example.kotlin.MainKt");
    command.addAll(List.of(parts));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("WEFT_REDIS_URL", redisUrl);
    builder.environment().remove("REDIS_URL");
    Path log = Files.createTempFile("weft-kotlin-it", ".log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    boolean exited = process.waitFor(90, TimeUnit.SECONDS);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    if (!exited) {
      process.destroyForcibly();
    }
    assertThat(exited).as("the Kotlin app exits within 90 s; output:%n%s", output).isTrue();
    Map<String, String> facts = new LinkedHashMap<>();
    for (String line : output.split("\\R")) {
      if (line.matches("^[A-Za-z0-9.]+=.*")) {
        int eq = line.indexOf('=');
        facts.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new Run(process.exitValue(), output, facts);
  }

  private static String location(Class<?> type) throws Exception {
    return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
