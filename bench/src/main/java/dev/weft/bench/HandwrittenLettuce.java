package dev.weft.bench;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.weft.bench.BenchService.Product;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;

/**
 * The baseline: cache-aside written by hand on one shared Lettuce connection ({@code GET}, then
 * Jackson reads the bytes; on a miss, load and {@code SET ... PX}), as Weft does it underneath.
 */
final class HandwrittenLettuce implements ProductCache {

  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisCommands<String, byte[]> redis;
  private final ObjectReader reader = BaselineJson.mapper().readerFor(Product.class);
  private final ObjectWriter writer = BaselineJson.mapper().writerFor(Product.class);

  /** @param url the Redis URL, Lettuce syntax */
  HandwrittenLettuce(String url) {
    client = RedisClient.create(url);
    connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    redis = connection.sync();
  }

  @Override
  public Product product(String sku) throws IOException {
    String key = "product:" + sku;
    byte[] bytes = redis.get(key);
    if (bytes != null) {
      return reader.readValue(bytes);
    }
    Product loaded = BenchService.load(sku);
    redis.set(key, writer.writeValueAsBytes(loaded), SetArgs.Builder.px(3_600_000));
    return loaded;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
