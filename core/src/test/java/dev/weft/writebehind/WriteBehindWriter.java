package dev.weft.writebehind;

import dev.weft.Weft;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;

/**
 * The main class of the child JVM in {@link WriteBehindCrashTest}: writes {@code writes} values
 * round-robin over {@code keys} keys ({@code wb:0} ...; write {@code i} is value {@code i}), with
 * one consumer whose persister is slow (it records each value it persisted in the hash {@code
 * <name>:child-persisted}), then sets {@code <name>:child-wrote} and waits to be killed.
 *
 * <p>Arguments: Redis URL, write-behind name, keys, writes, milliseconds per persist.
 */
public final class WriteBehindWriter {

  /** The value written. */
  public record Item(int n) {}

  private WriteBehindWriter() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String name = args[1];
    int keys = Integer.parseInt(args[2]);
    int writes = Integer.parseInt(args[3]);
    long millis = Long.parseLong(args[4]);
    RedisClient client = RedisClient.create(url);
    RedisCommands<String, String> redis = client.connect().sync();
    Weft weft = Weft.builder().redisUrl(url).build();
    WriteBehind<Item> items = weft.writeBehind(name, Item.class, (key, item) -> {
      Thread.sleep(millis);
      redis.hset(name + ":child-persisted", key, Integer.toString(item.n()));
    }, WriteBehindOptions.defaults().ttl("1h").minIdle(Duration.ofSeconds(1)));
    for (int i = 0; i < writes; i++) {
      items.write("wb:" + (i % keys), new Item(i));
    }
    redis.set(name + ":child-wrote", Integer.toString(writes));
    System.out.println("WROTE " + writes);
    Thread.currentThread().join(); // until killed
  }
}
