package dev.weft.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.lock.LockLease;
import dev.weft.pubsub.Publisher;
import dev.weft.pubsub.Subscriber;
import dev.weft.test.Await;
import dev.weft.test.RedisSentinelGroup;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A {@code redis-sentinel://} runtime while its master dies and Sentinel promotes the replica:
 * the guarantees hold during the failover and the runtime follows the new master afterwards.
 */
@Tag("redis")
class SentinelFailoverTest {

  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
  private static final Duration LOCK_WAIT = Duration.ofMillis(100);
  /**
   * The longest a call may take during the failover: a cached call waits out one command timeout
   * at most (then its thread fails fast), a lock attempt its wait plus one; the rest is slack for
   * a loaded machine. A hang would be many seconds.
   */
  private static final Duration CALL_BOUND = Duration.ofMillis(2_500);

  private RedisSentinelGroup group;
  private Weft weft;
  private Subscriber subscriber;

  @BeforeEach
  void start() {
    group = RedisSentinelGroup.start();
    weft =
        Weft.builder()
            .redisUrl(group.url())
            .commandTimeout(COMMAND_TIMEOUT)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  @AfterEach
  void stop() {
    if (subscriber != null) {
      subscriber.close();
    }
    if (weft != null) {
      weft.close();
    }
    if (group != null) {
      group.close();
    }
  }

  @Test
  void masterDies_locksFailClosed_cachesFailOpen_nothingHangs_andTheRuntimeFollowsTheNewMaster()
      throws Exception {
    int oldMaster = group.masterPort();
    List<String> received = new CopyOnWriteArrayList<>();
    subscriber = weft.subscriber();
    subscriber.subscribe("sentinel:news", String.class, received::add);
    Publisher publisher = weft.publisher();
    assertThat(weft.cached("sentinel:warm", Duration.ofMinutes(1), String.class, () -> "warm"))
        .isEqualTo("warm");
    assertThat(group.call(oldMaster, "GET", "sentinel:warm")).isEqualTo("\"warm\"");
    Await.until(Duration.ofSeconds(5), () -> "a message before the failover",
        () -> publisher.publish("sentinel:news", "before") > 0 && received.contains("before"));

    Load load = new Load();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> workers =
        List.of(
            pool.submit(load::cacheCalls), pool.submit(load::cacheCalls),
            pool.submit(() -> load.lockAttempts("a")), pool.submit(() -> load.lockAttempts("b")));
    int newMaster;
    try {
      Await.until(Duration.ofSeconds(5), () -> "load before the failover",
          () -> load.cacheCalls.get() > 20 && load.acquired.get() > 5);

      newMaster = group.killMaster();

      Await.until(Duration.ofSeconds(10), () -> "the runtime to reach the new master",
          () -> weft.health().up());
      int callsAfter = load.cacheCalls.get() + 20;
      Await.until(Duration.ofSeconds(5), () -> "load after the failover",
          () -> load.cacheCalls.get() > callsAfter);
    } finally {
      load.stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    for (Future<?> worker : workers) {
      worker.get();
    }

    assertThat(newMaster).isNotEqualTo(oldMaster);
    assertThat(load.wrongValues).isEmpty();
    assertThat(load.unexpected).isEmpty();
    assertThat(load.failedClosed.get())
        .as("lock attempts refused while the master was gone")
        .isPositive();
    assertThat(Duration.ofNanos(load.slowestCacheCall.get())).isLessThan(CALL_BOUND);
    assertThat(Duration.ofNanos(load.slowestLockAttempt.get())).isLessThan(CALL_BOUND);

    assertThat(weft.cached("sentinel:after", Duration.ofMinutes(1), String.class, () -> "after"))
        .isEqualTo("after");
    assertThat(group.role(newMaster)).isEqualTo("master");
    assertThat(group.call(newMaster, "GET", "sentinel:after")).isEqualTo("\"after\"");
    Optional<LockLease> lease = weft.lock("sentinel:after-lock").tryAcquire();
    assertThat(lease).isPresent();
    assertThat(group.call(newMaster, "EXISTS", "weft:lock:{sentinel:after-lock}")).isEqualTo(1L);
    lease.get().close();
    Await.until(Duration.ofSeconds(10), () -> "a message after the failover",
        () -> publisher.publish("sentinel:news", "after") > 0 && received.contains("after"));
  }

  /** Cache calls and lock attempts in a loop, each checked and timed. */
  private final class Load {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger cacheCalls = new AtomicInteger();
    final AtomicInteger acquired = new AtomicInteger();
    final AtomicInteger failedClosed = new AtomicInteger();
    final AtomicLong slowestCacheCall = new AtomicLong();
    final AtomicLong slowestLockAttempt = new AtomicLong();
    final List<String> wrongValues = new CopyOnWriteArrayList<>();
    final List<Throwable> unexpected = new CopyOnWriteArrayList<>();

    void cacheCalls() {
      for (int n = 0; !stop.get(); n++) {
        String key = "sentinel:c:" + (n % 10);
        long start = System.nanoTime();
        try {
          String value =
              weft.cached(key, Duration.ofMinutes(1), String.class, () -> "value of " + key);
          if (!("value of " + key).equals(value)) {
            wrongValues.add(key + " -> " + value);
          }
        } catch (RuntimeException e) {
          unexpected.add(e);
        }
        slowestCacheCall.accumulateAndGet(System.nanoTime() - start, Math::max);
        cacheCalls.incrementAndGet();
      }
    }

    void lockAttempts(String name) {
      while (!stop.get()) {
        long start = System.nanoTime();
        try {
          Optional<LockLease> lease = weft.lock("sentinel:lock:" + name).tryAcquire(LOCK_WAIT);
          if (lease.isPresent()) {
            acquired.incrementAndGet();
            release(lease.get());
          }
        } catch (LockNotAcquiredException e) {
          failedClosed.incrementAndGet();
        } catch (RuntimeException e) {
          unexpected.add(e);
        }
        slowestLockAttempt.accumulateAndGet(System.nanoTime() - start, Math::max);
      }
    }

    private void release(LockLease lease) {
      try {
        lease.close();
      } catch (RuntimeException e) {
        // a release during the outage: the lease ends by its expiry instead
      }
    }
  }
}
