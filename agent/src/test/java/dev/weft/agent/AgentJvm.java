package dev.weft.agent;

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
 * Runs an application's {@code main} in a JVM of its own under {@code -javaagent:weft-agent.jar},
 * as a user starts it, and collects what it printed. Applications print one {@code key=value} line
 * per fact a test checks.
 */
final class AgentJvm {

  private AgentJvm() {}

  /**
   * What the child JVM did.
   *
   * @param exitCode its exit code
   * @param output stdout and stderr, interleaved as printed
   * @param facts the {@code key=value} lines of the output, in order
   */
  record Run(int exitCode, String output, Map<String, String> facts) {}

  /**
   * Runs {@code mainClass} under the agent and waits at most 60 s for it to exit.
   *
   * @param redisUrl the Redis the application's Weft uses, not {@code null}
   * @param classPath the application's class path entries, not {@code null}
   * @param mainClass the class whose {@code main} runs, not {@code null}
   * @param args its arguments
   * @return what it did, never {@code null}
   */
  static Run run(String redisUrl, List<String> classPath, String mainClass, String... args)
      throws Exception {
    return start(redisUrl, List.of("-javaagent:" + agentJar()), classPath, mainClass, args);
  }

  /**
   * Runs {@code mainClass} with the given JVM options and no {@code -javaagent} of its own (an
   * application that attaches the agent itself gets the jar's path from {@link #agentJar()}).
   */
  static Run runWithoutAgent(
      String redisUrl, List<String> jvmOptions, List<String> classPath, String mainClass,
      String... args) throws Exception {
    return start(redisUrl, jvmOptions, classPath, mainClass, args);
  }

  /** @return the absolute path of the agent jar under test */
  static String agentJar() {
    Path agentJar = Paths.get(System.getProperty("weft.agent.jar", "target/weft-agent.jar"));
    assertThat(agentJar).exists();
    return agentJar.toAbsolutePath().toString();
  }

  private static Run start(
      String redisUrl, List<String> jvmOptions, List<String> classPath, String mainClass,
      String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classPath));
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("WEFT_REDIS_URL", redisUrl);
    builder.environment().remove("REDIS_URL");
    Path log = Files.createTempFile("weft-agent-it", ".log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    if (!exited) {
      process.destroyForcibly();
    }
    assertThat(exited).as("%s exits within 60 s; output:%n%s", mainClass, output).isTrue();
    Map<String, String> facts = new LinkedHashMap<>();
    for (String line : output.split("\\R")) {
      if (line.matches("^[A-Za-z0-9.]+=.*")) {
        int eq = line.indexOf('=');
        facts.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new Run(process.exitValue(), output, facts);
  }

  /** @return the jar or folder a class was loaded from, as a path */
  static String location(Class<?> type) throws Exception {
    return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
