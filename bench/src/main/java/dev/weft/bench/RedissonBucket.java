package dev.weft.bench;

import dev.weft.bench.BenchService.Product;
import java.time.Duration;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.Codec;
import org.redisson.codec.TypedJsonJacksonCodec;

/**
 * Redisson's {@link RBucket} as a cache-aside: {@code get()}; on a miss, load and
 * {@code set(value, ttl)}. The codec is {@link TypedJsonJacksonCodec} typed to {@link Product}
 * (no {@code @class} in the payload) on Weft's mapper configuration; Redisson adds its own
 * settings to its copy of the mapper (fields rather than getters, properties sorted by name), so
 * its entry holds the same JSON object with the properties in another order.
 *
 * <p>The client is Redisson's default single-server configuration: a pool of connections (24 kept
 * open, up to 64), 32 Netty threads and 16 threads for its own work.
 */
final class RedissonBucket implements ProductCache {

  private static final Duration TTL = Duration.ofHours(1);

  private final RedissonClient redisson;
  private final Codec codec = new TypedJsonJacksonCodec(Product.class, BaselineJson.mapper());

  /** @param url the Redis URL, Lettuce syntax */
  RedissonBucket(String url) {
    redisson = Redisson.create(RedisAddress.redisson(url));
  }

  @Override
  public Product product(String sku) {
    RBucket<Product> bucket = redisson.getBucket("product:" + sku, codec);
    Product cached = bucket.get();
    if (cached != null) {
      return cached;
    }
    Product loaded = BenchService.load(sku);
    bucket.set(loaded, TTL);
    return loaded;
  }

  @Override
  public void close() {
    redisson.shutdown();
  }
}
