package dev.weft.bench;

import dev.weft.Weft;
import dev.weft.bench.BenchService.Product;
import dev.weft.bench.unwoven.RedisProducts;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A cache hit in a Spring application, read from Redis: Spring's own {@code @Cacheable} on
 * {@code RedisCacheManager} (the baseline) against the same {@code @Cacheable} bean on Weft's
 * {@code CacheManager}, a {@code @Cached} bean through the starter's Spring AOP proxy mode, and the
 * same {@code @Cached} method compile-time woven: the same Redis server, the same run.
 *
 * <h2>Fairness</h2>
 *
 * Every contender's Spring context is a plain {@code AnnotationConfigApplicationContext} (no Boot
 * auto-configuration: only the beans each one needs), opened in {@link #setUp} in a fork of its
 * own. The near tier is off for every contender (Spring's {@code RedisCacheManager} has none):
 * setup proves that each of a hundred hits sends a command to Redis, so every measured call is a
 * round trip. Setup also proves that the calls are hits: after {@code FLUSHDB}, the first call
 * must run the loader once and leave an entry for the product, the second must not run it; the
 * loader must not have run again at teardown. Values are JSON on the same mapper settings
 * (Spring's serializer typed to {@link Product}, Weft's default codec); keys differ only as each
 * cache manager lays them out.
 *
 * <p>Run (the printed ratios are to {@code SPRING_REDIS} within each thread count):
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar SpringCacheHitBenchmark -f 1 -wi 3 -i 5 -w 2s -r 3s -t 1
 * java -jar bench/target/benchmarks.jar SpringCacheHitBenchmark -f 1 -wi 3 -i 5 -w 2s -r 3s -t 8
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpringCacheHitBenchmark {

  /** Who serves the hit. */
  public enum Contender {
    /** The baseline: Spring's {@code @Cacheable} on Spring Data Redis's {@code RedisCacheManager}. */
    SPRING_REDIS {
      @Override
      ProductCache open(String url) {
        return new SpringCacheable(url);
      }
    },
    /**
     * The same {@code @Cacheable} bean on the starter's {@code WeftCacheManager}, near tier off.
     */
    WEFT_CACHE_MANAGER {
      @Override
      ProductCache open(String url) {
        SpringCacheable spring = SpringCacheable.onWeft(Weft.builder().redisUrl(url).build());
        System.out.println(this + ": " + spring.cacheManager());
        return spring;
      }
    },
    /**
     * {@code @Cached} on a bean whose class the build left unwoven, applied by the starter's
     * Spring AOP proxy mode (a CGLIB proxy).
     */
    WEFT_PROXY {
      @Override
      ProductCache open(String url) {
        Weft weft = Weft.builder().redisUrl(url).build();
        Weft.install(weft);
        WeftProxyMode<RedisProducts> proxied =
            new WeftProxyMode<>(weft, RedisProducts.class, RedisProducts::new);
        RedisProducts products = proxied.bean();
        return new ProductCache() {
          @Override
          public Product product(String sku) {
            return products.product(sku);
          }

          @Override
          public void close() {
            proxied.close();
            weft.close();
          }
        };
      }
    },
    /** {@code @Cached}, compile-time woven with weft-aspectj: no proxy. */
    WEFT_CTW {
      @Override
      ProductCache open(String url) {
        Weft weft = Weft.builder().redisUrl(url).build();
        Weft.install(weft);
        BenchService service = new BenchService();
        return new ProductCache() {
          @Override
          public Product product(String sku) {
            return service.product(sku);
          }

          @Override
          public void close() {
            weft.close();
          }
        };
      }
    };

    /**
     * @param url the Redis URL of the run
     * @return this contender's cache, with its clients (and context) open
     */
    abstract ProductCache open(String url);
  }

  /** The contender of this fork, set by JMH. */
  @Param public Contender contender;

  private static final String SKU = "kb-01";
  private static final int ROUND_TRIP_CHECKS = 100;

  private ProductCache cache;
  private int loadsAfterSetup;

  /**
   * Opens the contender and proves that its calls will be hits, each read from Redis.
   *
   * @throws Exception if a client fails, or {@link IllegalStateException} if a check fails
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String url = BenchMain.redisUrl();
    Product expected = BenchService.load(SKU);
    try (Inspector redis = new Inspector(url)) {
      redis.flush();
      cache = contender.open(url);
      int loads = BenchService.loads();
      Product first = cache.product(SKU);
      if (BenchService.loads() != loads + 1) {
        throw new IllegalStateException(contender + ": the first call did not run the loader");
      }
      List<String> entries = redis.keysContaining(SKU);
      if (entries.isEmpty()) {
        throw new IllegalStateException(contender + ": the first call left no entry in Redis");
      }
      Product second = cache.product(SKU);
      if (BenchService.loads() != loads + 1) {
        throw new IllegalStateException(contender + ": the second call ran the loader: not a hit");
      }
      if (!expected.equals(first) || !expected.equals(second)) {
        throw new IllegalStateException(contender + ": read " + first + " then " + second);
      }
      long commands = redis.commands();
      for (int i = 0; i < ROUND_TRIP_CHECKS; i++) {
        cache.product(SKU);
      }
      long sent = redis.commands() - commands;
      if (sent < ROUND_TRIP_CHECKS) {
        throw new IllegalStateException(
            contender + ": " + ROUND_TRIP_CHECKS + " hits sent " + sent
                + " commands to Redis: some were served in the JVM (a near tier?)");
      }
      if (cache instanceof SpringCacheable spring && spring.invocations() != 1) {
        throw new IllegalStateException(
            contender + ": the @Cacheable body ran " + spring.invocations() + " times, not once");
      }
      loadsAfterSetup = BenchService.loads();
      System.out.println(contender + ": entry " + entries + ", " + sent / (double) ROUND_TRIP_CHECKS
          + " commands per hit");
    }
  }

  /**
   * Fails if a measured call ran the loader, and closes the contender.
   *
   * @throws IllegalStateException if the loader ran during measurement
   */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      if (BenchService.loads() != loadsAfterSetup) {
        throw new IllegalStateException(
            contender + ": the loader ran " + (BenchService.loads() - loadsAfterSetup)
                + " times during measurement: not every call was a hit");
      }
    } finally {
      cache.close();
    }
  }

  /**
   * @return the product, from the cache
   * @throws Exception if the contender's client fails
   */
  @Benchmark
  public Product hit() throws Exception {
    return cache.product(SKU);
  }

  /** A connection of its own for setup's checks, closed (with its threads) before measurement. */
  static final class Inspector implements AutoCloseable {
    private static final Pattern CALLS = Pattern.compile("cmdstat_(\\w+):calls=(\\d+)");
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;

    Inspector(String url) {
      client = RedisClient.create(url);
      connection = client.connect();
      redis = connection.sync();
    }

    void flush() {
      redis.flushdb();
    }

    /** @return the keys whose name contains {@code text} */
    List<String> keysContaining(String text) {
      List<String> keys = new ArrayList<>();
      ScanArgs match = ScanArgs.Builder.matches("*" + text + "*").limit(1000);
      KeyScanCursor<String> cursor = redis.scan(match);
      keys.addAll(cursor.getKeys());
      while (!cursor.isFinished()) {
        cursor = redis.scan(cursor, match);
        keys.addAll(cursor.getKeys());
      }
      return keys;
    }

    /** @return how many commands the server has run, its own INFO and CONFIG aside */
    long commands() {
      long total = 0;
      Matcher m = CALLS.matcher(redis.info("commandstats"));
      while (m.find()) {
        if (!m.group(1).equals("info") && !m.group(1).equals("config")) {
          total += Long.parseLong(m.group(2));
        }
      }
      return total;
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
