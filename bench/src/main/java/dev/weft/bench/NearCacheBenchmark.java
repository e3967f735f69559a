package dev.weft.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.Weft;
import dev.weft.annotation.Cached;
import dev.weft.bench.BenchService.Product;
import java.time.Duration;
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
 * A near-cache hit: a {@code @Cached(near = true)} method (compile-time woven) whose entry is in
 * the local tier, versus Caffeine's own {@code getIfPresent} of a present key. The question is the
 * cost of Weft's interception and bookkeeping on a path that never touches Redis; the goal is
 * within 2x of Caffeine alone.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar NearCacheBenchmark -f 1 -wi 3 -i 5 -w 2s -r 3s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NearCacheBenchmark {

  /** Who serves the local hit. */
  public enum Contender {
    /** Caffeine's getIfPresent on a bounded cache holding the value (the baseline). */
    CAFFEINE,
    /** A woven {@code @Cached(near = true)} method, served from its local tier. */
    WEFT_NEAR
  }

  @Param public Contender contender;

  /** The near-cached method under test. */
  public static class NearService {
    @Cached(key = "near-product:{sku}", ttl = "1h", near = true)
    public Product product(String sku) {
      return BenchService.load(sku);
    }
  }

  private static final String SKU = "kb-01";

  private Weft weft;
  private NearService service;
  private Cache<String, Product> caffeine;

  @Setup(Level.Trial)
  public void setUp() {
    if (contender == Contender.CAFFEINE) {
      caffeine = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)).build();
      caffeine.put("near-product:" + SKU, BenchService.load(SKU));
      return;
    }
    weft = Weft.builder().redisUrl(BenchMain.redisUrl()).build();
    Weft.install(weft);
    service = new NearService();
    service.product(SKU);
    service.product(SKU);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (weft != null) {
      weft.close();
    }
  }

  /** @return the product, from the local tier */
  @Benchmark
  public Product hit() {
    if (contender == Contender.CAFFEINE) {
      return caffeine.getIfPresent("near-product:" + SKU);
    }
    return service.product(SKU);
  }
}
