package dev.weft.aspectj.multijvm;

import dev.weft.annotation.Cached;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The reading process of the near-cache test: reads a {@code near = true} entry on command, and
 * on "watch" reads it in a tight loop until it changes, reporting the wall-clock time it saw the
 * change.
 */
public class NearChild {

  private static RedisCommands<String, String> redis;

  @Cached(key = "near:{id}", ttl = "10m", near = true)
  public String read(String id) {
    return redis.get("source:" + id);
  }

  public static void main(String[] args) throws Exception {
    RedisClient client = RedisClient.create(System.getenv("WEFT_REDIS_URL"));
    StatefulRedisConnection<String, String> connection = client.connect();
    redis = connection.sync();
    NearChild service = new NearChild();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("READY");
    for (String line; (line = in.readLine()) != null; ) {
      String[] words = line.split(" ");
      switch (words[0]) {
        case "read" -> {
          int times = Integer.parseInt(words[1]);
          String v = null;
          for (int i = 0; i < times; i++) {
            v = service.read(words[2]);
          }
          System.out.println("VALUE " + v);
        }
        case "watch" -> {
          String old = words[2];
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          String v = service.read(words[1]);
          while (Objects.equals(v, old) && System.nanoTime() < deadline) {
            v = service.read(words[1]);
          }
          System.out.println("CHANGED " + System.currentTimeMillis() + " " + v);
        }
        default -> System.out.println("UNKNOWN " + line);
      }
    }
    connection.close();
    client.shutdown();
    System.exit(0);
  }
}
