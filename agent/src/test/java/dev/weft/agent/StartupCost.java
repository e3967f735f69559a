package dev.weft.agent;

import dev.weft.test.RedisLauncher;
import dev.weft.test.RedisServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * JVM start plus the first call of a {@code @Cached} method, in each weaving mode, as wall time of
 * the whole child process (start to exit), median of {@value #RUNS} runs after {@value #WARMUPS}
 * discarded ones, the modes interleaved. Not a test: a measurement, run by hand after {@code mvn
 * install}:
 *
 * <pre>
 * mvn -B -q -pl agent dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat agent/target/test-cp.txt):agent/target/test-classes" dev.weft.agent.StartupCost
 * </pre>
 *
 * <ul>
 *   <li>{@code none}: the unwoven class, no agent: the annotation does nothing (no Redis, no
 *       Weft): the JVM and the application alone;
 *   <li>{@code ctw}: the class woven by ajc at build time: adds Weft's runtime and the first Redis
 *       round trip, no weaving at start;
 *   <li>{@code agent}: the unwoven class under {@code -javaagent:weft-agent.jar}, with only
 *       weft-annotations on the class path;
 *   <li>{@code ltw}: the unwoven class under {@code -javaagent:aspectjweaver.jar} with weft-aspectj's
 *       {@code aop.xml}.
 * </ul>
 *
 * The cost of weaving at load time is {@code agent - ctw} and {@code ltw - ctw}. {@code
 * -Dweft.agent.jar=<path>} times another build of the agent; {@code
 * -Dweft.agent.baseline=<path>[,<path>...]} adds a mode {@code agent0} (and {@code agent1}, ...)
 * that times another build in the same run, interleaved with the others, to compare builds on a
 * machine whose load drifts. {@code -Dweft.startup.modes=ctw,agent,agent0} times only the modes
 * named ({@code ctw} is always needed: the figures are read against it).
 */
public final class StartupCost {

  static final int WARMUPS = 2;
  static final int RUNS = 9;

  private StartupCost() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(System.getProperty("weft.root", ".")).toAbsolutePath().normalize();
    Path agentJar =
        Paths.get(
            System.getProperty(
                "weft.agent.jar", root.resolve("agent/target/weft-agent.jar").toString()));
    Path unwoven = root.resolve("agent/target/test-classes");
    Path woven = root.resolve("aspectj/target/test-classes");
    List<String> cp = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    String annotations = jar(cp, "weft-annotations");
    String weaver = jar(cp, "aspectjweaver");
    String deps = cp.stream()
        .filter(e -> e.endsWith(".jar") && !e.contains("aspectjweaver") && !e.contains("junit")
            && !e.contains("byte-buddy"))
        .collect(Collectors.joining(File.pathSeparator));
    for (Path p : List.of(agentJar, unwoven, woven)) {
      if (!Files.exists(p)) {
        throw new IllegalStateException(p + " is missing: build with mvn install first");
      }
    }
    Map<String, List<String>> modes = new LinkedHashMap<>();
    modes.put("none", List.of("-cp", unwoven + File.pathSeparator + annotations));
    modes.put("ctw", List.of("-cp", woven + File.pathSeparator + deps));
    modes.put("agent", List.of("-javaagent:" + agentJar, "-cp", unwoven + File.pathSeparator + annotations));
    modes.put("ltw", List.of("-javaagent:" + weaver, "-cp", unwoven + File.pathSeparator + deps));
    String baselines = System.getProperty("weft.agent.baseline");
    if (baselines != null) {
      String[] jars = baselines.split(",");
      for (int i = 0; i < jars.length; i++) {
        modes.put("agent" + i,
            List.of("-javaagent:" + jars[i], "-cp", unwoven + File.pathSeparator + annotations));
      }
    }
    String only = System.getProperty("weft.startup.modes");
    if (only != null) {
      modes.keySet().retainAll(Arrays.asList(only.split(",")));
    }
    Map<String, List<Long>> times = new LinkedHashMap<>();
    modes.keySet().forEach(m -> times.put(m, new ArrayList<>()));
    try (RedisServer redis = RedisLauncher.startStandalone()) {
      for (int run = 0; run < WARMUPS + RUNS; run++) {
        for (Map.Entry<String, List<String>> mode : modes.entrySet()) {
          long millis = runOnce(mode.getValue(), redis.url());
          if (run >= WARMUPS) {
            times.get(mode.getKey()).add(millis);
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "JVM start + first call, median of %d runs (min-max), ms%n", RUNS);
    long ctw = median(times.get("ctw"));
    for (Map.Entry<String, List<Long>> t : times.entrySet()) {
      List<Long> sorted = t.getValue().stream().sorted().toList();
      long median = median(sorted);
      System.out.printf(Locale.ROOT, "  %-6s %5d  (%d-%d)%s%n", t.getKey(), median, sorted.get(0),
          sorted.get(sorted.size() - 1),
          t.getKey().startsWith("agent") || t.getKey().equals("ltw")
              ? String.format(Locale.ROOT, "   %+d vs ctw", median - ctw) : "");
    }
  }

  private static long runOnce(List<String> options, String redisUrl) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.add("dev.weft.aspectj.startup.FirstCall");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("WEFT_REDIS_URL", redisUrl);
    Path log = Files.createTempFile("weft-startup", ".log");
    builder.redirectOutput(log.toFile());
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("no exit within 60 s: " + command);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String output = Files.readString(log);
    Files.delete(log);
    if (process.exitValue() != 0 || !output.contains("first=static:startup")) {
      throw new IllegalStateException("failed: " + command + "\n" + output);
    }
    return millis;
  }

  private static String jar(List<String> cp, String name) {
    return cp.stream().filter(e -> e.contains(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException(name + " is not on the class path"));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
