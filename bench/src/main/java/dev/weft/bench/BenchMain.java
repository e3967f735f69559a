package dev.weft.bench;

import dev.weft.test.RedisLauncher;
import dev.weft.test.RedisServer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH against one Redis for the whole run, then prints each benchmark's contenders as ratios
 * to the first contender of that benchmark (the baseline, hand-written Lettuce).
 *
 * <p>Arguments are JMH's own ({@code java -jar benchmarks.jar -h}). Redis: {@code WEFT_REDIS_URL}
 * if set, else a server started here (a {@code redis-server} on the PATH, else the embedded one),
 * handed to the forked benchmark JVMs as the system property {@code weft.bench.redis}.
 */
public final class BenchMain {

  static final String REDIS_PROPERTY = "weft.bench.redis";

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
    List<RunResult> sorted = new ArrayList<>(results);
    System.out.println();
    System.out.println("Ratios to the baseline (first contender of each benchmark), Redis: " + redisSource);
    String benchmark = null;
    double baseline = Double.NaN;
    for (RunResult r : sorted) {
      String name = r.getParams().getBenchmark();
      String contender = r.getParams().getParam("contender");
      double score = r.getPrimaryResult().getScore();
      double error = r.getPrimaryResult().getScoreError();
      if (!name.equals(benchmark)) {
        benchmark = name;
        baseline = score;
        System.out.println(name);
      }
      System.out.printf(
          Locale.ROOT,
          "  %-22s %12.0f ± %8.0f %s   ratio %.3f%n",
          contender, score, error, r.getPrimaryResult().getScoreUnit(), score / baseline);
    }
  }
}
