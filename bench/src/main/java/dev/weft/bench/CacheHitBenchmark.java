package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Weft;
import dev.weft.bench.BenchService.Product;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * A cache hit: a {@code @Cached} method woven at compile time versus the same cache-aside written
 * by hand on Lettuce, Spring's {@code @Cacheable} on {@code RedisCacheManager}, and a Redisson
 * {@code RBucket}: the same key, the same value as the same JSON (Jackson, typed to the value
 * class), the same Redis server, in the same run.
 *
 * <h2>Fairness</h2>
 *
 * Each contender opens only its own clients in {@link #setUp}, so no other client's threads run
 * during its measurement (JMH also forks one JVM per contender). The state is shared by all
 * benchmark threads, as an application shares its cache: the hand-written baseline and Weft send
 * every caller's command down one Lettuce connection, Spring's {@code LettuceConnectionFactory}
 * shares one native connection by default, Redisson uses its own connection pool. Setup proves
 * that the measured calls are hits: the first call must load and write the entry, the second
 * must be served from Redis without running the loader.
 *
 * <p>Run (starts one Redis for the whole run unless {@code WEFT_REDIS_URL} is set; the thread
 * count is JMH's {@code -t}, and the printed ratios are to {@code LETTUCE_HANDWRITTEN} within each
 * thread count):
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar CacheHitBenchmark -f 1 -wi 3 -i 5 -w 2s -r 4s -t 1
 * java -jar bench/target/benchmarks.jar CacheHitBenchmark -f 1 -wi 3 -i 5 -w 2s -r 4s -t 8
 * java -jar bench/target/benchmarks.jar CacheHitBenchmark -f 1 -wi 3 -i 5 -w 2s -r 4s -t 64
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CacheHitBenchmark {

  /** Who serves the hit. */
  public enum Contender {
    /** The baseline: GET, then Jackson, written by hand on one Lettuce connection. */
    LETTUCE_HANDWRITTEN {
      @Override
      ProductCache open(String url) {
        return new HandwrittenLettuce(url);
      }
    },
    /** {@code @Cached}, compile-time woven with weft-aspectj. */
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
    },
    /** Spring's {@code @Cacheable} with {@code RedisCacheManager} on Lettuce. */
    SPRING_CACHEABLE {
      @Override
      ProductCache open(String url) {
        return new SpringCacheable(url);
      }
    },
    /** Redisson's {@code RBucket} with a typed Jackson codec. */
    REDISSON_BUCKET {
      @Override
      ProductCache open(String url) {
        return new RedissonBucket(url);
      }
    };

    /**
     * @param url the Redis URL of the run
     * @return this contender's cache, with its clients open
     */
    abstract ProductCache open(String url);
  }

  /** The contender of this fork, set by JMH. */
  @Param public Contender contender;

  private static final String SKU = "kb-01";
  private static final String KEY = "product:" + SKU;

  private ProductCache cache;

  /**
   * Opens the contender's clients and proves that its calls will be hits.
   *
   * @throws Exception if a client fails, or {@link IllegalStateException} if a check fails
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String url = BenchMain.redisUrl();
    Product expected = BenchService.load(SKU);
    try (Inspector redis = new Inspector(url)) {
      redis.delete(KEY);
      cache = contender.open(url);
      int loads = BenchService.loads();
      Product first = cache.product(SKU);
      if (BenchService.loads() != loads + 1) {
        throw new IllegalStateException(contender + ": the first call did not run the loader");
      }
      redis.requireEntry(KEY, expected);
      Product second = cache.product(SKU);
      if (BenchService.loads() != loads + 1) {
        throw new IllegalStateException(contender + ": the second call ran the loader: not a hit");
      }
      if (cache instanceof SpringCacheable spring && spring.invocations() != 1) {
        throw new IllegalStateException(
            contender + ": the @Cacheable body ran " + spring.invocations() + " times, not once");
      }
      if (!expected.equals(first) || !expected.equals(second)) {
        throw new IllegalStateException(contender + ": read " + first + " then " + second);
      }
    }
  }

  /** Closes the contender's clients and their threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    cache.close();
  }

  /**
   * @return the product, from the cache
   * @throws Exception if the contender's client fails
   */
  @Benchmark
  public Product hit() throws Exception {
    return cache.product(SKU);
  }

  /**
   * A connection of its own for setup's checks, closed (with its threads) before measurement.
   */
  private static final class Inspector implements AutoCloseable {
    private final ObjectMapper json = BaselineJson.mapper();
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisCommands<String, byte[]> redis;

    Inspector(String url) {
      client = RedisClient.create(url);
      connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      redis = connection.sync();
    }

    void delete(String key) {
      redis.del(key);
    }

    /** Requires the entry to hold {@code expected} as JSON, with a time to live. */
    void requireEntry(String key, Product expected) throws IOException {
      byte[] bytes = redis.get(key);
      if (bytes == null) {
        throw new IllegalStateException("the first call wrote no entry '" + key + "'");
      }
      JsonNode stored = json.readTree(bytes);
      JsonNode wanted = json.readTree(json.writeValueAsBytes(expected));
      if (!wanted.equals(stored)) {
        throw new IllegalStateException(
            "the entry '" + key + "' holds " + stored + ", not the JSON of " + expected);
      }
      long ttl = redis.pttl(key);
      if (ttl <= 0 || ttl > 3_600_000) {
        throw new IllegalStateException("the entry '" + key + "' has no one-hour TTL: " + ttl + " ms");
      }
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
