package dev.weft.bench;

import dev.weft.Weft;
import dev.weft.annotation.Cached;
import dev.weft.bench.BenchService.Product;
import dev.weft.test.RedisLauncher;
import dev.weft.test.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stampede costs: {@value #CALLERS} threads miss one cold key at the same moment, the load
 * takes {@value #LOAD_MILLIS} ms; how many times does the method run, how many commands does
 * Redis serve, and how long do the callers wait? Weft's {@code @Cached}, and Spring's
 * {@code @Cacheable(sync = true)} on {@code RedisCacheManager} and on the starter's
 * {@code WeftCacheManager}, same server, same run. Counts are
 * read from the server's {@code INFO commandstats}, which is reset before each storm; times are
 * from the moment the callers are let go: the storm's (until the last caller has its value) and
 * each caller's, p50 and max over all storms. One JVM: {@code sync = true} is a per-JVM lock in
 * Spring; across JVMs the starter's own tests run the stampede.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar dev.weft.bench.MissStormCount
 * </pre>
 */
public final class MissStormCount {

  static final int CALLERS = 16;
  static final long LOAD_MILLIS = 200;
  private static final int STORMS = 5;

  private MissStormCount() {}

  /** The Weft side: a slow {@code @Cached} method, compile-time woven. */
  public static class WeftProducts {
    final AtomicInteger invocations = new AtomicInteger();

    @Cached(key = "storm:{sku}", ttl = "1h")
    public Product slowProduct(String sku) throws InterruptedException {
      invocations.incrementAndGet();
      Thread.sleep(LOAD_MILLIS);
      return BenchService.load(sku);
    }
  }

  /** One contender's storm. */
  interface Storm {
    Product call(String sku) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    try (RedisServer server = RedisLauncher.startStandalone();
        RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      System.out.printf(Locale.ROOT, "%d callers, %d ms load, %d storms each, Redis: %s%n%n",
          CALLERS, LOAD_MILLIS, STORMS, server.source());
      System.out.printf(Locale.ROOT, "%-34s %12s %16s %12s %12s %12s%n", "contender",
          "method runs", "Redis commands", "storm ms", "caller p50", "caller max");

      try (Weft weft = Weft.builder().redisUrl(server.url()).build()) {
        Weft.install(weft);
        WeftProducts products = new WeftProducts();
        products.slowProduct("warm-up");
        report("Weft @Cached", redis, products::slowProduct, products.invocations::get);
      }
      try (SpringCacheable spring = new SpringCacheable(server.url())) {
        spring.slowProduct("warm-up");
        report("Spring @Cacheable(sync), Redis", redis, spring::slowProduct, spring::invocations);
      }
      try (SpringCacheable spring =
          SpringCacheable.onWeft(Weft.builder().redisUrl(server.url()).build())) {
        spring.slowProduct("warm-up");
        report("Spring @Cacheable(sync), Weft", redis, spring::slowProduct, spring::invocations);
      }
    }
  }

  private static void report(
      String name, RedisCommands<String, String> redis, Storm storm, IntSupplier invocations)
      throws Exception {
    long runs = 0;
    long commands = 0;
    long stormNanos = 0;
    long[] latencies = new long[CALLERS * STORMS];
    for (int s = 0; s < STORMS; s++) {
      String sku = "cold-" + name.hashCode() + "-" + s;
      int before = invocations.getAsInt();
      redis.configResetstat();
      CountDownLatch go = new CountDownLatch(1);
      long[] finished = new long[CALLERS];
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        int caller = i;
        Thread t = new Thread(() -> {
          try {
            go.await();
            storm.call(sku);
            finished[caller] = System.nanoTime();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        t.start();
        threads.add(t);
      }
      long start = System.nanoTime();
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }
      long last = start;
      for (int i = 0; i < CALLERS; i++) {
        if (finished[i] == 0) {
          throw new IllegalStateException(name + ": a caller failed");
        }
        latencies[s * CALLERS + i] = finished[i] - start;
        last = Math.max(last, finished[i]);
      }
      stormNanos += last - start;
      runs += invocations.getAsInt() - before;
      commands += commandsServed(redis.info("commandstats"));
    }
    Arrays.sort(latencies);
    System.out.printf(Locale.ROOT, "%-34s %12.1f %16.1f %12.1f %12.1f %12.1f%n", name,
        runs / (double) STORMS, commands / (double) STORMS, millis(stormNanos / STORMS),
        millis(latencies[latencies.length / 2]), millis(latencies[latencies.length - 1]));
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static long commandsServed(String stats) {
    long total = 0;
    Matcher m = Pattern.compile("cmdstat_(\\w+):calls=(\\d+)").matcher(stats);
    while (m.find()) {
      if (!m.group(1).equals("info") && !m.group(1).equals("config")) {
        total += Long.parseLong(m.group(2));
      }
    }
    return total;
  }
}
