package dev.weft.aspectj.multijvm;

import dev.weft.annotation.Cached;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One of the processes of the stampede test: N threads call a slow {@code @Cached} method for
 * the same key at the same moment. The body counts its runs in Redis, across all processes.
 */
public class StampedeChild {

  private static RedisCommands<String, String> redis;

  @Cached(key = "stampede:{id}", ttl = "1m", loadTimeout = "10s")
  public String slow(String id) throws InterruptedException {
    redis.incr("stampede:runs");
    Thread.sleep(500); // the slow source the cache protects
    return "value-of-" + id;
  }

  @Cached(key = "warm:{id}", ttl = "1m")
  public String warm(String id) {
    return id;
  }

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    String key = args[1];
    RedisClient client = RedisClient.create(System.getenv("WEFT_REDIS_URL"));
    StatefulRedisConnection<String, String> connection = client.connect();
    redis = connection.sync();
    StampedeChild service = new StampedeChild();
    service.warm("x");

    List<Thread> workers = new ArrayList<>();
    List<String> results = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                  results.add(service.slow(key));
                } catch (Exception e) {
                  results.add("error: " + e);
                }
              });
      t.start();
      workers.add(t);
    }
    ready.await();
    System.out.println("READY");
    // Start together with the other processes: the test sets the go key once all are ready.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (redis.exists("stampede:go") == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    go.countDown();
    for (Thread t : workers) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
    System.out.println("RESULTS " + results.size() + " " + new TreeSet<>(results));
    connection.close();
    client.shutdown();
    System.exit(0);
  }
}
