package dev.weft.bench;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.weft.Weft;
import dev.weft.bench.BenchService.Product;
import dev.weft.internal.codec.JsonCodec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
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
 * by hand on Lettuce, with the same JSON serialization (Jackson, bytes), the same key and value,
 * the same Redis server, in the same run.
 *
 * <p>Run (starts one Redis for the whole run unless {@code WEFT_REDIS_URL} is set):
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar CacheHitBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CacheHitBenchmark {

  /** Who serves the hit. */
  public enum Contender {
    /** GET, then Jackson, written by hand on a Lettuce connection. */
    LETTUCE_HANDWRITTEN,
    /** {@code @Cached}, compile-time woven with weft-aspectj. */
    WEFT_CTW
  }

  @Param public Contender contender;

  private static final String SKU = "kb-01";

  private Weft weft;
  private BenchService service;
  private RedisClient client;
  private StatefulRedisConnection<String, byte[]> connection;
  private RedisCommands<String, byte[]> redis;
  private ObjectReader reader;
  private ObjectWriter writer;

  @Setup(Level.Trial)
  public void setUp() {
    String url = BenchMain.redisUrl();
    weft = Weft.builder().redisUrl(url).build();
    Weft.install(weft);
    service = new BenchService();
    client = RedisClient.create(url);
    connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    redis = connection.sync();
    reader = JsonCodec.defaultMapper().readerFor(Product.class);
    writer = JsonCodec.defaultMapper().writerFor(Product.class);
    redis.del("product:" + SKU);
    // Both contenders read the same entry, written once here by the woven method.
    service.product(SKU);
    if (redis.exists("product:" + SKU) != 1) {
      throw new IllegalStateException("the woven method did not write its entry; is it woven?");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    connection.close();
    client.shutdown();
    weft.close();
  }

  /** @return the product, from the cache */
  @Benchmark
  public Product hit() throws IOException {
    if (contender == Contender.WEFT_CTW) {
      return service.product(SKU);
    }
    return handwritten(SKU);
  }

  private Product handwritten(String sku) throws IOException {
    String key = "product:" + sku;
    byte[] bytes = redis.get(key);
    if (bytes != null) {
      return reader.readValue(bytes);
    }
    Product loaded = BenchService.load(sku);
    redis.set(key, writer.writeValueAsBytes(loaded), SetArgs.Builder.px(3_600_000));
    return loaded;
  }
}
