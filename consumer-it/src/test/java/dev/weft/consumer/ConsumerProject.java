package dev.weft.consumer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A copy of a consumer project (a folder of src/it) under target/, built by a Maven of its own
 * as a user builds it: {@code mvn} in a child process, with its own local repository (which holds
 * Weft's artifacts from this reactor) and global settings (src/it/settings.xml) that read every
 * other artifact from the local repository of the build running this test before Maven Central.
 * The user's own settings.xml still applies, so its mirrors and proxies do.
 *
 * <p>The paths come from system properties that the module's pom sets for failsafe.
 */
final class ConsumerProject {

  /** The only class with a Weft annotation in each consumer project. */
  static final String WOVEN_CLASS = "com.example.shop.PriceService";

  private static final Pattern SNIPPET =
      Pattern.compile("<!-- weft:snippet (\\S+) -->\\s*```xml\\n(.*?)```", Pattern.DOTALL);
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

  private final Path template;
  private final Path dir;
  private int builds;

  private ConsumerProject(Path template, Path dir) {
    this.template = template;
    this.dir = dir;
  }

  /**
   * Copies a consumer project into a fresh folder and writes its pom.xml with {@code snippet}.
   *
   * @param template the consumer project's folder under src/it, not {@code null}
   * @param name the copy's folder under target/consumer, not {@code null}
   * @param snippet what takes the place of {@code @README_SNIPPET@} in the project's
   *     pom.template.xml, not {@code null}
   * @return the project, not built yet
   */
  static ConsumerProject create(String template, String name, String snippet)
      throws IOException {
    Path dir = path("weft.consumer.workDir").resolve(name);
    deleteTree(dir);
    Path templateDir = path("weft.consumer.projects").resolve(template);
    copyTree(templateDir.resolve("src"), dir.resolve("src"));
    ConsumerProject project = new ConsumerProject(templateDir, dir);
    project.writePom(snippet);
    return project;
  }

  /**
   * @param name the snippet's name in its marker, {@code <!-- weft:snippet name -->}
   * @return the xml block that follows the marker in README.md, exactly as written there
   * @throws IllegalStateException when README.md has no such snippet
   */
  static String readmeSnippet(String name) throws IOException {
    String readme = Files.readString(path("weft.consumer.readme"), StandardCharsets.UTF_8);
    Matcher matcher = SNIPPET.matcher(readme);
    while (matcher.find()) {
      if (matcher.group(1).equals(name)) {
        return matcher.group(2);
      }
    }
    throw new IllegalStateException("README.md has no snippet marked <!-- weft:snippet " + name
        + " --> followed by an xml block");
  }

  /** Replaces pom.xml by the template completed with {@code snippet}. */
  void writePom(String snippet) throws IOException {
    String pom = Files.readString(template.resolve("pom.template.xml"));
    Files.writeString(dir.resolve("pom.xml"), pom.replace("@README_SNIPPET@", snippet));
  }

  /**
   * Replaces {@code target} by {@code replacement} in one source file and gives the file the
   * current time as its modification time, as an editor does.
   *
   * @param file the path under src/main/java, not {@code null}
   */
  void edit(String file, String target, String replacement) throws IOException {
    Path source = dir.resolve("src/main/java").resolve(file);
    String text = Files.readString(source);
    if (!text.contains(target)) {
      throw new IllegalArgumentException(file + " does not contain " + target);
    }
    Files.writeString(source, text.replace(target, replacement));
    Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
  }

  /**
   * Runs {@code mvn -B package} on the project, no clean, and writes the dependency class path of
   * the project to target/classpath.txt for {@link #runMain}.
   *
   * @return what the build printed and how it ended
   */
  Build mvnPackage() throws IOException, InterruptedException {
    builds++;
    Path log = dir.resolve("build-" + builds + ".log");
    Path settings = dir.resolve("settings.xml");
    String userRepo = path("weft.consumer.userRepo").toUri().toString();
    Files.writeString(
        settings,
        Files.readString(path("weft.consumer.projects").resolve("settings.xml"))
            .replace("@localRepositoryUrl@", userRepo));
    List<String> command = new ArrayList<>();
    command.add(path("weft.consumer.mavenHome").resolve("bin/mvn").toString());
    command.addAll(
        List.of(
            "-B",
            "-Dstyle.color=never",
            "-gs",
            settings.toString(),
            "-Dmaven.repo.local=" + path("weft.consumer.repo"),
            "package",
            "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
            "-Dmdep.outputFile=target/classpath.txt"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("MAVEN_ARGS");
    // A build of seconds: the JIT's C1 alone and the serial collector start Maven fastest.
    builder.environment().merge(
        "MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC", (own, ours) -> own + " " + ours);
    Process process = builder.start();
    if (!process.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "mvn package did not end within " + BUILD_TIMEOUT + "; its output: " + log);
    }
    return new Build(process.exitValue(), Files.readString(log), log);
  }

  /**
   * Runs the project's {@code com.example.shop.Main} from target/classes in a JVM of its own.
   *
   * @param redisUrl the Redis its Weft uses, not {@code null}
   * @return what it printed, stdout and stderr interleaved, and its exit code
   */
  String runMain(String redisUrl) throws IOException, InterruptedException {
    String classPath =
        dir.resolve("target/classes")
            + File.pathSeparator
            + Files.readString(dir.resolve("target/classpath.txt")).trim();
    return java(redisUrl, "-cp", classPath, "com.example.shop.Main");
  }

  /**
   * Starts a jar the build made with {@code java -jar}, as a Spring Boot application starts.
   *
   * @param jar the jar's path under target, not {@code null}
   * @param redisUrl the Redis its Weft uses, not {@code null}
   * @return what it printed, stdout and stderr interleaved, and its exit code
   */
  String runJar(String jar, String redisUrl) throws IOException, InterruptedException {
    return java(redisUrl, "-jar", dir.resolve("target").resolve(jar).toString());
  }

  /** @return the path of a file of the project */
  Path file(String relative) {
    return dir.resolve(relative);
  }

  private String java(String redisUrl, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(List.of(args));
    Path log = dir.resolve("run-" + builds + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(Map.of("WEFT_REDIS_URL", redisUrl));
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the application did not end within 60 s; output: " + log);
    }
    return Files.readString(log) + "(exit " + process.exitValue() + ")";
  }

  /** @return the bytes of a compiled class of the project, from target/classes */
  byte[] classFile(String className) throws IOException {
    return Files.readAllBytes(
        dir.resolve("target/classes").resolve(className.replace('.', '/') + ".class"));
  }

  /** @return the lines of target/classes/META-INF/weft/woven-classes, empty when absent */
  List<String> wovenClassesList() throws IOException {
    Path list = dir.resolve("target/classes/META-INF/weft/woven-classes");
    return Files.exists(list) ? Files.readAllLines(list) : List.of();
  }

  /**
   * One run of Maven on the project.
   *
   * @param exitCode Maven's exit code
   * @param output everything it printed
   * @param log the file that holds the output
   */
  record Build(int exitCode, String output, Path log) {

    @Override
    public String toString() {
      String[] lines = output.split("\n");
      int from = Math.max(0, lines.length - 60);
      return "mvn package, exit " + exitCode + ", full output in " + log + "; its end:\n"
          + String.join("\n", Arrays.copyOfRange(lines, from, lines.length));
    }
  }

  private static Path path(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(
          "system property " + property + " is not set; run this test through the module's pom");
    }
    return Path.of(value).toAbsolutePath();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
              throws IOException {
            Files.createDirectories(to.resolve(from.relativize(directory).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.REPLACE_EXISTING);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
