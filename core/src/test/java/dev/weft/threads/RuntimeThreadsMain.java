package dev.weft.threads;

import dev.weft.Weft;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.lock.LockLease;
import dev.weft.pubsub.Publisher;
import dev.weft.pubsub.Subscriber;
import dev.weft.queue.QueueOptions;
import dev.weft.queue.ReliableQueue;
import dev.weft.ratelimit.Limit;
import dev.weft.stream.ConsumerOptions;
import dev.weft.stream.StreamConsumers;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A process that uses every pattern of one runtime at once (a cache with a near tier, a lock held
 * and renewed, a rate limit, a subscriber, a stream consumer, a queue) and then prints its
 * threads: {@code THREADS <count>}, then {@code THREAD <name>} for each live thread.
 *
 * <p>Argument: the Redis URL.
 */
public final class RuntimeThreadsMain {

  private RuntimeThreadsMain() {}

  public static void main(String[] args) throws Exception {
    String prefix = "threads-" + ProcessHandle.current().pid() + "-";
    try (Weft weft = Weft.builder().redisUrl(args[0]).build()) {
      WeftCache<String> cache =
          weft.cache(String.class, CacheOptions.defaults().ttl("1m").near(true));
      cache.get(prefix + "k", () -> "v");
      cache.get(prefix + "k", () -> "v");

      Optional<LockLease> lease = weft.lock(prefix + "lock").tryAcquire();
      weft.rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, 10, Duration.ofSeconds(1)))
          .tryAcquire(prefix + "limit");

      CountDownLatch published = new CountDownLatch(1);
      CountDownLatch consumed = new CountDownLatch(1);
      try (Subscriber subscriber = weft.subscriber();
          StreamConsumers consumers = weft.streamConsumers()) {
        subscriber.subscribe(prefix + "channel", String.class, m -> published.countDown());
        weft.publisher().publish(prefix + "channel", "hello");
        consumers.listen(prefix + "stream", "g", String.class, ConsumerOptions.defaults(),
            (m, id) -> consumed.countDown());
        weft.streamProducer(prefix + "stream", String.class).add("hello");

        ReliableQueue<String> queue =
            weft.queue(prefix + "queue", String.class,
                QueueOptions.defaults().visibilityTimeout(Duration.ofSeconds(30)));
        queue.offer("item");
        queue.take(Duration.ofSeconds(5)).ifPresent(d -> {});

        boolean all =
            published.await(10, TimeUnit.SECONDS) && consumed.await(10, TimeUnit.SECONDS)
                && lease.isPresent();
        System.out.println("PATTERNS " + (all ? "ALL" : "MISSING"));
        TreeMap<String, Integer> names = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
          if (t.isAlive()) {
            names.merge(t.getName(), 1, Integer::sum);
          }
        }
        System.out.println("THREADS " + names.values().stream().mapToInt(Integer::intValue).sum());
        names.forEach((name, n) -> {
          for (int i = 0; i < n; i++) {
            System.out.println("THREAD " + name);
          }
        });
      } finally {
        lease.ifPresent(LockLease::close);
      }
    }
    System.exit(0);
  }
}
