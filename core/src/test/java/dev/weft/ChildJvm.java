package dev.weft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a {@code main} class of the test class path in a JVM of its own, for tests whose subject
 * is a process dying (killed consumers, crashed writers). Small heap and C1 only: the children
 * start fast and leave the two cores to the test.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /**
   * @param main the class whose {@code main} runs, not {@code null}
   * @param log where the child's stdout and stderr go (folders are created), not {@code null}
   * @param args its arguments
   * @return the started process; the caller kills it when done
   */
  public static Process start(Class<?> main, Path log, String... args) throws IOException {
    return start(main, log, Map.of(), args);
  }

  /**
   * As {@link #start(Class, Path, String...)}, with {@code env} added to the child's environment.
   *
   * @param env environment variables to set, not {@code null}
   */
  public static Process start(Class<?> main, Path log, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }
}
