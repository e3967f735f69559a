package dev.weft.aspectj.multijvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running a main class from this module's (woven) test classes, talking over
 * stdin/stdout one line at a time. Used where a claim is about several processes.
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final PrintWriter in;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> transcript = new ArrayList<>();

  ChildJvm(Class<?> main, String redisUrl, String... args) throws IOException {
    this(main, redisUrl, java.util.Map.of(), args);
  }

  ChildJvm(Class<?> main, String redisUrl, java.util.Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    // Run children woven the same way as this JVM: under the agent when the suite runs under it.
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-javaagent:")) {
        command.add(arg);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("WEFT_REDIS_URL", redisUrl);
    builder.environment().putAll(env);
    process = builder.start();
    in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("EOF " + e);
              }
            },
            "child-" + main.getSimpleName());
    reader.setDaemon(true);
    reader.start();
  }

  void send(String line) {
    in.println(line);
  }

  /**
   * @param prefix the start of the awaited line
   * @param seconds how long to wait at most
   * @return the rest of the first line that starts with {@code prefix}
   */
  String await(String prefix, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError(
            "no line starting with '" + prefix + "' within " + seconds + " s; the child said:\n"
                + String.join("\n", transcript));
      }
      transcript.add(line);
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
    }
  }

  /**
   * @param prefix the start of the last line wanted
   * @param seconds how long to wait at most
   * @return every line up to and including the first that starts with {@code prefix}
   */
  List<String> linesUntil(String prefix, long seconds) throws InterruptedException {
    int from = transcript.size();
    await(prefix, seconds);
    return List.copyOf(transcript.subList(from, transcript.size()));
  }

  /**
   * Kills the JVM with SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook,
   * {@code finally} block or lock release runs. Returns once the process is gone.
   */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the child JVM " + process.pid() + " survived SIGKILL for 30 s");
    }
  }

  @Override
  public void close() {
    in.close();
    process.destroyForcibly();
  }
}
