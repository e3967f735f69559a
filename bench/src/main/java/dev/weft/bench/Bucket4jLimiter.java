package dev.weft.bench;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Bucket4j's Lettuce proxy manager (compare-and-swap): a token bucket of {@code permits} tokens
 * refilled greedily at {@code permits} per window, state in Redis with the expiration Bucket4j
 * recommends (until the bucket would be full again). One shared Lettuce connection; the bucket
 * proxies are built once per key and kept, which is the cheapest way to use the API. Bucket4j
 * decides on the client's clock.
 */
final class Bucket4jLimiter implements Limiter {

  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final LettuceBasedProxyManager<String> proxies;
  private final BucketConfiguration configuration;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param url the Redis URL, Lettuce syntax
   * @param permits tokens per window, and the capacity
   * @param window the window
   */
  Bucket4jLimiter(String url, long permits, Duration window) {
    client = RedisClient.create(url);
    connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    proxies =
        Bucket4jLettuce.casBasedBuilder(connection)
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    Duration.ofSeconds(1)))
            .build();
    configuration =
        BucketConfiguration.builder()
            .addLimit(limit -> limit.capacity(permits).refillGreedy(permits, window))
            .build();
  }

  @Override
  public boolean tryAcquire(String key) {
    return buckets
        .computeIfAbsent(key, k -> proxies.builder().build("b4j:" + k, () -> configuration))
        .tryConsume(1);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
