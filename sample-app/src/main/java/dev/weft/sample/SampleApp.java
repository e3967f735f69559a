package dev.weft.sample;

import dev.weft.Weft;
import dev.weft.test.RedisLauncher;
import dev.weft.test.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs real {@code @Cached} calls against a slow source and prints what happened: for each call
 * whether the source was queried (a miss) or not (a hit), and how long the call took.
 *
 * <p>Redis: {@code WEFT_REDIS_URL} or {@code REDIS_URL} if set; else a server on
 * {@code localhost:6379} if one answers; else an embedded Redis started for this run.
 */
public final class SampleApp {

  private static final long SOURCE_LATENCY_MILLIS = 120;
  private static final List<String> SKUS_CALLED =
      List.of("kb-01", "kb-01", "ms-02", "kb-01", "ms-02", "zz-99", "zz-99");

  private SampleApp() {}

  /**
   * @param args ignored
   * @throws Exception if Redis cannot be started
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    RedisServer embedded = null;
    String url = configuredUrl();
    if (url == null) {
      if (answers("localhost", 6379)) {
        url = "redis://localhost:6379";
        out.println("Redis: using the server on localhost:6379");
      } else {
        embedded = RedisLauncher.startStandalone();
        url = embedded.url();
        out.println("Redis: none configured; started an embedded one at " + url
            + " (" + embedded.source() + ")");
      }
    } else {
      out.println("Redis: " + url);
    }

    try (Weft weft = Weft.builder().redisUrl(url).build()) {
      Weft.install(weft);
      clearSampleKeys(url);
      ProductCatalog catalog = new ProductCatalog(SOURCE_LATENCY_MILLIS);
      out.printf(
          "Source of truth answers in %d ms per query. The first call also opens the Redis connection.%n%n",
          SOURCE_LATENCY_MILLIS);
      out.printf("%-34s %-6s %10s%n", "call", "result", "time");

      Stats stats = new Stats();
      for (String sku : SKUS_CALLED) {
        stats.call(out, catalog, "product(\"" + sku + "\")", () -> catalog.product(sku));
      }
      for (int i = 0; i < 3; i++) {
        stats.call(out, catalog, "category(\"peripherals\")", () -> catalog.category("peripherals"));
      }

      out.println();
      out.printf(
          "%d calls: %d misses (source queried), %d hits. Mean miss %.1f ms, mean hit %.2f ms (%.0fx faster).%n",
          stats.calls, stats.misses, stats.hits, stats.meanMissMillis(), stats.meanHitMillis(),
          stats.meanMissMillis() / stats.meanHitMillis());
      out.printf("Source queries: %d (without the cache: %d).%n", catalog.sourceQueries(), stats.calls);
      try (RedisClient client = RedisClient.create(url);
          StatefulRedisConnection<String, String> c = client.connect()) {
        String key = "product:kb-01";
        out.printf("In Redis: %s = %s (expires in %d s)%n", key, c.sync().get(key), c.sync().ttl(key));
      }
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static String configuredUrl() {
    for (String name : new String[] {"WEFT_REDIS_URL", "REDIS_URL"}) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  private static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void clearSampleKeys(String url) {
    try (RedisClient client = RedisClient.create(url);
        StatefulRedisConnection<String, String> c = client.connect()) {
      // A fresh start for this run's keys only; never KEYS or FLUSH on a server that may be shared.
      for (String sku : SKUS_CALLED) {
        c.sync().del("product:" + sku);
      }
      c.sync().del("category:peripherals");
    }
  }

  /** What the run measured. */
  private static final class Stats {
    int calls;
    int hits;
    int misses;
    long hitNanos;
    long missNanos;

    <T> T call(PrintStream out, ProductCatalog catalog, String label, Supplier<T> call) {
      int queriesBefore = catalog.sourceQueries();
      long start = System.nanoTime();
      T result = call.get();
      long nanos = System.nanoTime() - start;
      boolean miss = catalog.sourceQueries() > queriesBefore;
      calls++;
      if (miss) {
        misses++;
        missNanos += nanos;
      } else {
        hits++;
        hitNanos += nanos;
      }
      out.printf(Locale.ROOT, "%-34s %-6s %8.2f ms%n", label, miss ? "miss" : "hit", nanos / 1e6);
      return result;
    }

    double meanMissMillis() {
      return misses == 0 ? 0 : missNanos / 1e6 / misses;
    }

    double meanHitMillis() {
      return hits == 0 ? 0 : hitNanos / 1e6 / hits;
    }
  }
}
