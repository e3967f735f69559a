package example.flat;

import dev.weft.annotation.Cached;
import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.RateLimited;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's Weft-annotated methods: cached items, a rate limited greeting and a job
 * guarded by a distributed lock that it holds until told to finish.
 */
public class Shop {

  /** An item as its source made it; {@code load} numbers the source's calls. */
  public record Item(String id, int load) {}

  private final AtomicInteger loads = new AtomicInteger();
  private final Map<String, CountDownLatch> finish = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();

  /**
   * @param id the item's id, not {@code null}
   * @return the item, from Redis when cached, never {@code null}
   */
  @Cached(key = "items:{id}", ttl = "10m")
  public Item find(String id) {
    return new Item(id, loads.incrementAndGet());
  }

  /** @return how often {@link #find} reached its source */
  public int loads() {
    return loads.get();
  }

  /**
   * @param user who asks, not {@code null}
   * @return the greeting, never {@code null}
   * @throws dev.weft.exception.RateLimitExceededException if the user asked twice in the last
   *     minute
   */
  @RateLimited(key = "greet:{user}", permits = 2, window = "1m")
  public String greet(String user) {
    return "hello " + user;
  }

  /**
   * Runs job {@code name} until {@link #finish} is called for it (at most 30 s).
   *
   * @param name the job, not {@code null}
   * @return {@code "finished"}, or {@code "overlapped"} if another run of the job was inside
   * @throws dev.weft.exception.LockNotAcquiredException if another run holds the job's lock
   */
  @DistributedLock(key = "job:{name}", lease = "30s")
  public String run(String name) throws InterruptedException {
    AtomicInteger count = inside.computeIfAbsent(name, n -> new AtomicInteger());
    int now = count.incrementAndGet();
    try {
      if (now > 1) {
        return "overlapped";
      }
      CountDownLatch latch = finish.computeIfAbsent(name, n -> new CountDownLatch(1));
      return latch.await(30, TimeUnit.SECONDS) ? "finished" : "never told to finish";
    } finally {
      count.decrementAndGet();
    }
  }

  /**
   * @param name the job, not {@code null}
   * @return how many runs of the job are inside its body now
   */
  public int running(String name) {
    AtomicInteger count = inside.get(name);
    return count == null ? 0 : count.get();
  }

  /** @param name the job to let finish, not {@code null} */
  public void finish(String name) {
    finish.computeIfAbsent(name, n -> new CountDownLatch(1)).countDown();
  }
}
