package dev.weft.bench;

import dev.weft.test.RedisLauncher;
import dev.weft.test.RedisServer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH against one Redis for the whole run, then prints each contender's score as a ratio to
 * the baseline ({@code LETTUCE_HANDWRITTEN}, hand-written Lettuce) of the same benchmark, thread
 * count and other parameters.
 *
 * <p>Arguments are JMH's own ({@code java -jar benchmarks.jar -h}). Redis: {@code WEFT_REDIS_URL}
 * if set, else a server started here (a {@code redis-server} on the PATH, else the embedded one),
 * handed to the forked benchmark JVMs as the system property {@code weft.bench.redis}.
 */
public final class BenchMain {

  static final String REDIS_PROPERTY = "weft.bench.redis";

  /** The contender every other one is divided by: cache-aside written by hand on Lettuce. */
  static final String BASELINE = "LETTUCE_HANDWRITTEN";

  private BenchMain() {}

  /** @return the Redis URL of this run, for benchmarks' setup */
  static String redisUrl() {
    String url = System.getProperty(REDIS_PROPERTY);
    if (url == null) {
      throw new IllegalStateException(
          "no Redis for the benchmark: run it through BenchMain (java -jar benchmarks.jar)");
    }
    return url;
  }

  /**
   * @param args JMH command-line options
   * @throws Exception if JMH or Redis fails
   */
  public static void main(String[] args) throws Exception {
    try (RedisServer redis = RedisLauncher.startStandalone()) {
      CommandLineOptions cli = new CommandLineOptions(args);
      ChainedOptionsBuilder options =
          new OptionsBuilder().parent(cli).jvmArgsAppend("-D" + REDIS_PROPERTY + "=" + redis.url());
      if (!cli.getForkCount().hasValue()) {
        options.forks(1);
      }
      if (!cli.getWarmupIterations().hasValue()) {
        options.warmupIterations(3);
      }
      if (!cli.getMeasurementIterations().hasValue()) {
        options.measurementIterations(5);
      }
      Collection<RunResult> results = new Runner(options.build()).run();
      printRatios(results, redis.source());
    }
  }

  private static void printRatios(Collection<RunResult> results, String redisSource) {
    Map<String, List<RunResult>> groups = new LinkedHashMap<>();
    for (RunResult r : results) {
      StringBuilder group =
          new StringBuilder(r.getParams().getBenchmark())
              .append(", threads ")
              .append(r.getParams().getThreads());
      for (String param : r.getParams().getParamsKeys()) {
        if (!param.equals("contender")) {
          group.append(", ").append(param).append(' ').append(r.getParams().getParam(param));
        }
      }
      groups.computeIfAbsent(group.toString(), g -> new ArrayList<>()).add(r);
    }
    System.out.println();
    System.out.println(
        "Ratios to the baseline (" + BASELINE + ") of each benchmark, thread count and parameters,"
            + " Redis: "
            + redisSource);
    for (Map.Entry<String, List<RunResult>> group : groups.entrySet()) {
      RunResult baseline =
          group.getValue().stream()
              .filter(r -> BASELINE.equals(r.getParams().getParam("contender")))
              .findFirst()
              .orElse(null);
      System.out.println(
          group.getKey()
              + (baseline == null ? "  (no " + BASELINE + " in this run: ratios to the first)" : ""));
      double base =
          (baseline != null ? baseline : group.getValue().get(0)).getPrimaryResult().getScore();
      for (RunResult r : group.getValue()) {
        System.out.printf(
            Locale.ROOT,
            "  %-22s %12.0f ± %8.0f %s   ratio %.3f%n",
            r.getParams().getParam("contender"),
            r.getPrimaryResult().getScore(),
            r.getPrimaryResult().getScoreError(),
            r.getPrimaryResult().getScoreUnit(),
            r.getPrimaryResult().getScore() / base);
      }
    }
  }
}
