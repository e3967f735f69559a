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
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH against one Redis for the whole run, then prints each contender's score as a ratio to
 * the baseline ({@code LETTUCE_HANDWRITTEN}, hand-written Lettuce, {@code PLAIN}, the unwoven
 * call, or {@code SPRING_REDIS}, Spring's own {@code @Cacheable}) of the same benchmark, thread
 * count and other parameters. Contenders that need a {@code -javaagent} run in forks started with
 * it ({@link AgentForks}).
 *
 * <p>Arguments are JMH's own ({@code java -jar benchmarks.jar -h}). Redis: {@code WEFT_REDIS_URL}
 * if set, else a server started here (a {@code redis-server} on the PATH, else the embedded one),
 * handed to the forked benchmark JVMs as the system property {@code weft.bench.redis}.
 */
public final class BenchMain {

  static final String REDIS_PROPERTY = "weft.bench.redis";

  /**
   * The contenders every other one is compared with, the first present: cache-aside written by
   * hand on Lettuce, the plain (unwoven) call, or Spring's {@code @Cacheable} on
   * {@code RedisCacheManager}.
   */
  static final List<String> BASELINES = List.of("LETTUCE_HANDWRITTEN", "PLAIN", "SPRING_REDIS");

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
      // jvmArgsAppend replaces the parent's, so the command line's own are carried over
      List<String> jvmArgs = new ArrayList<>(cli.getJvmArgsAppend().orElse(List.of()));
      jvmArgs.add("-D" + REDIS_PROPERTY + "=" + redis.url());
      ChainedOptionsBuilder options =
          new OptionsBuilder().parent(cli).jvmArgsAppend(jvmArgs.toArray(String[]::new));
      if (!cli.getForkCount().hasValue()) {
        options.forks(1);
      }
      if (!cli.getWarmupIterations().hasValue()) {
        options.warmupIterations(3);
      }
      if (!cli.getMeasurementIterations().hasValue()) {
        options.measurementIterations(5);
      }
      List<RunResult> results = new ArrayList<>();
      for (Options run : AgentForks.split(options.build())) {
        results.addAll(new Runner(run).run());
      }
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
        "Ratios to the baseline (" + String.join(" or ", BASELINES) + ") of each benchmark, thread"
            + " count and parameters, Redis: " + redisSource);
    for (Map.Entry<String, List<RunResult>> group : groups.entrySet()) {
      RunResult baseline =
          group.getValue().stream()
              .filter(r -> BASELINES.contains(r.getParams().getParam("contender")))
              .findFirst()
              .orElse(null);
      System.out.println(
          group.getKey()
              + (baseline == null ? "  (no baseline in this run: ratios to the first)" : ""));
      RunResult base = baseline != null ? baseline : group.getValue().get(0);
      double baseScore = base.getPrimaryResult().getScore();
      // for times per operation the difference says more than the ratio
      boolean time = base.getPrimaryResult().getScoreUnit().endsWith("/op");
      for (RunResult r : group.getValue()) {
        double score = r.getPrimaryResult().getScore();
        System.out.printf(
            Locale.ROOT,
            "  %-22s " + (time ? "%12.1f ± %8.1f" : "%12.0f ± %8.0f") + " %s   ratio %.3f%s%n",
            r.getParams().getParam("contender"),
            score,
            r.getPrimaryResult().getScoreError(),
            r.getPrimaryResult().getScoreUnit(),
            score / baseScore,
            time ? String.format(Locale.ROOT, "   %+.1f %s", score - baseScore,
                r.getPrimaryResult().getScoreUnit()) : "");
      }
    }
  }
}
