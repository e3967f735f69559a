package example.boot;

import dev.weft.annotation.DistributedLock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/**
 * A job guarded by {@code @DistributedLock}: it holds its lock until it is told to finish, so a
 * second caller meets a held lock. The body counts the callers inside it, so a run that was let in
 * beside another one says so instead of waiting.
 */
@Service
public class Jobs {

  private final Map<String, CountDownLatch> finish = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();

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
