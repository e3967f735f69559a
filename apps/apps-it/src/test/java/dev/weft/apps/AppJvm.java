package dev.weft.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An example application running in a JVM of its own, started as its users start it (with {@code
 * -javaagent:weft-agent.jar}), and an HTTP client for it. Its stdout and stderr go to a file under
 * {@code target/app-logs}, kept after the run.
 */
final class AppJvm implements AutoCloseable {

  /** The line that gives the HTTP port: Tomcat's under Spring Boot, the flat app's own. */
  private static final Pattern PORT = Pattern.compile("started on port (\\d+)");

  /**
   * Compiles with C1 only: a JVM that runs for seconds starts faster and costs less CPU without
   * C2. It changes nothing in class loading or in what the agent does.
   */
  static final String QUICK_START = "-XX:TieredStopAtLevel=1";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final String name;
  private final Process process;
  private final Path log;
  private final Path classLoads;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private int port;

  private AppJvm(String name, Process process, Path log, Path classLoads) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.classLoads = classLoads;
  }

  /**
   * Starts an application and waits until it has printed its port and {@code ready}, or fails with
   * its output if it exits or does not get there within two minutes.
   *
   * @param name names the log file and the messages, not {@code null}
   * @param java the {@code java} launcher to run, not {@code null}
   * @param redisUrl the Redis of both Weft ({@code WEFT_REDIS_URL}) and the application
   * @param arguments everything after the launcher: JVM options, {@code -jar} or {@code -cp}, the
   *     application's arguments; not {@code null}
   * @param ready a line the application prints once it has started, not {@code null}
   * @return the running application, never {@code null}
   */
  static AppJvm start(
      String name, String java, String redisUrl, List<String> arguments, Pattern ready)
      throws IOException, InterruptedException {
    Path logs = Files.createDirectories(Paths.get("target", "app-logs")).toAbsolutePath();
    Path log = logs.resolve(name + ".log");
    Path classLoads = logs.resolve(name + "-class-load.log");
    Files.deleteIfExists(classLoads);
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xlog:class+load=info:file=" + classLoads);
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("WEFT_REDIS_URL", redisUrl);
    builder.environment().remove("REDIS_URL");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    AppJvm app = new AppJvm(name, builder.start(), log, classLoads);
    Runtime.getRuntime().addShutdownHook(new Thread(app.process::destroyForcibly));
    try {
      app.awaitReady(String.join(" ", command), ready);
    } catch (AssertionError | IOException | InterruptedException e) {
      app.close();
      throw e;
    }
    return app;
  }

  /** @return the {@code java} launcher of the JDK running the tests */
  static String currentJava() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The JDK 25 launcher named by {@code -Dweft.it.jdk25} (default {@code
   * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}). The JDK 25 test classes are disabled, and
   * reported as skipped, by {@code -Dweft.it.jdk25=skip}.
   *
   * @return the launcher's path, never {@code null}
   * @throws AssertionError if the launcher is not there
   */
  static String jdk25() {
    String configured =
        System.getProperty("weft.it.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    assertThat(Paths.get(configured))
        .as("no JDK 25 launcher at %s: install a JDK 25 there, name another with"
            + " -Dweft.it.jdk25=<path to bin/java>, or leave the JDK 25 runs out with"
            + " -Dweft.it.jdk25=skip", configured)
        .isExecutable();
    return configured;
  }

  /** @return the agent jar under test ({@code -Dweft.it.agent.jar}), checked to exist */
  static String agentJar() {
    return existing("weft.it.agent.jar", "the Weft agent jar");
  }

  /**
   * @param property the system property that names a build output
   * @param what what it is, for the message
   * @return its absolute path, checked to exist
   */
  static String existing(String property, String what) {
    String value = System.getProperty(property);
    assertThat(value).as("-D%s (%s)", property, what).isNotBlank();
    Path path = Paths.get(value).toAbsolutePath().normalize();
    assertThat(path).as("%s (-D%s); build it first", what, property).exists();
    return path.toString();
  }

  private void awaitReady(String command, Pattern ready) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      String output = output();
      Matcher port = PORT.matcher(output);
      if (port.find() && ready.matcher(output).find()) {
        this.port = Integer.parseInt(port.group(1));
        return;
      }
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " exited with " + process.exitValue()
            + " before it served HTTP.\nCommand: " + command + "\nOutput:\n" + output());
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(name + " did not serve HTTP within " + START_TIMEOUT.toSeconds()
            + " s.\nCommand: " + command + "\nOutput:\n" + output());
      }
    }
  }

  /** @return everything the application printed so far, never {@code null} */
  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** @return the lines the application printed so far */
  List<String> lines() throws IOException {
    return output().lines().toList();
  }

  /**
   * @return the JVM's class-load log so far ({@code -Xlog:class+load}): one line per class, {@code
   *     [...][info][class,load] <name> source: <where>}
   */
  List<String> classLoads() throws IOException {
    return Files.readAllLines(classLoads, StandardCharsets.UTF_8);
  }

  /**
   * Sends a request and waits for the answer: at most 30 s, for the first call through Weft
   * starts its runtime (connections, scripts) on a machine that may be busy.
   */
  HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    return http.send(request(method, path, body, Duration.ofSeconds(30)),
        HttpResponse.BodyHandlers.ofString());
  }

  /** @return the response of a GET */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  /** Sends a request without waiting; the answer may take up to 60 s. */
  CompletableFuture<HttpResponse<String>> sendAsync(String method, String path) {
    return http.sendAsync(request(method, path, null, Duration.ofSeconds(60)),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String method, String path, String body, Duration timeout) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(timeout)
        .header("Content-Type", "text/plain")
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** Stops the application (SIGTERM, then SIGKILL after 10 s) and waits until it is gone. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return name + " (log: " + log.toAbsolutePath() + ")";
  }
}
