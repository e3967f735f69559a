package dev.weft.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.annotation.LockContext;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.lock.LockEngine;
import dev.weft.internal.redis.Script;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.lock.LockLease;
import dev.weft.lock.LockOptions;
import dev.weft.lock.WeftLock;
import dev.weft.outage.CommandStats;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WeftLock} against a real Redis: exclusion, fencing, waiting, renewal, failures. */
@WeftRedis
class WeftLockTest {

  private static final Duration LONG = Duration.ofSeconds(10);

  private Weft weft;
  /** A second runtime: to Redis, another process (its own connection, feed and engine). */
  private Weft remote;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;
  private ExecutorService others;
  private String url;

  @BeforeEach
  void connect(RedisServer server) {
    url = server.url();
    weft = Weft.builder().redisUrl(server.url()).build();
    remote = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
    others = Executors.newCachedThreadPool();
  }

  /** The feeds subscribe in the background as the runtimes start; until then waiters poll. */
  private void awaitChangeFeeds() {
    Await.until(Duration.ofSeconds(10), () -> "both runtimes' change feeds subscribed",
        () -> WeftAccess.cache(weft).feed().live() && WeftAccess.cache(remote).feed().live());
  }

  @AfterEach
  void close() {
    others.shutdownNow();
    connection.close();
    client.shutdown();
    remote.close();
    weft.close();
  }

  /** Runs {@code task} on another thread (locks are reentrant per thread) and waits for it. */
  private <T> T elsewhere(Callable<T> task) throws Exception {
    return others.submit(task).get(30, TimeUnit.SECONDS);
  }

  private LockEngine engine() {
    return WeftAccess.locks(weft);
  }

  @Test
  void heldLock_refusesOthers_untilReleased() throws Exception {
    WeftLock lock = weft.lock("invoice:7");
    try (LockLease lease = lock.acquire(Duration.ZERO)) {
      assertThat(lease.isHeld()).isTrue();
      assertThat(redis.get("weft:lock:{invoice:7}")).isNotNull();
      assertThat(redis.pttl("weft:lock:{invoice:7}")).isBetween(1L, 30_000L);
      assertThat(elsewhere(() -> lock.tryAcquire().isPresent())).isFalse();
      assertThat(remote.lock("invoice:7").tryAcquire()).isEmpty();
      assertThatThrownBy(() -> elsewhere(() -> lock.acquire(Duration.ofMillis(50))))
          .hasCauseInstanceOf(LockNotAcquiredException.class)
          .hasMessageContaining("invoice:7")
          .hasMessageContaining("PT0.05S");
    }
    assertThat(redis.exists("weft:lock:{invoice:7}")).isZero();
    assertThat(elsewhere(() -> {
      try (LockLease again = lock.acquire(Duration.ZERO)) {
        return again.isHeld();
      }
    })).isTrue();
  }

  @Test
  void fencingTokens_strictlyIncrease_evenAfterTheFenceIsGone() throws Exception {
    WeftLock lock = weft.lock("fenced");
    List<Long> tokens = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      try (LockLease lease = lock.acquire(LONG)) {
        tokens.add(lease.fencingToken());
        assertThat(LockContext.currentFencingToken()).isEqualTo(lease.fencingToken());
      }
      if (i == 10) {
        redis.del("weft:lock:{fenced}:fence");
      }
    }
    for (int i = 1; i < tokens.size(); i++) {
      assertThat(tokens.get(i)).as("token %d of %s", i, tokens).isGreaterThan(tokens.get(i - 1));
    }
    assertThat(redis.pttl("weft:lock:{fenced}:fence")).as("the fence has a TTL").isPositive();
  }

  @Test
  void keysWithBraces_stayInOneSlot_andDoNotCollide() throws Exception {
    try (LockLease a = weft.lock("a}b").acquire(Duration.ZERO);
        LockLease b = weft.lock("a%7Db").acquire(Duration.ZERO)) {
      assertThat(redis.exists("weft:lock:{a%7Db}", "weft:lock:{a%257Db}")).isEqualTo(2);
    }
  }

  @Test
  void nonOwner_cannotReleaseOrRenew() throws Exception {
    RedisGateway gateway = WeftAccess.redis(weft);
    try (LockLease lease = weft.lock("owned").acquire(Duration.ZERO)) {
      String key = "weft:lock:{owned}";
      String owner = redis.get(key);
      long pttl = redis.pttl(key);
      boolean released = gateway.run(Script.flag("lock_release").keys(key)
          .arg("not-the-owner").arg("weft:changes").arg(0));
      boolean renewed = gateway.run(Script.flag("lock_renew").keys(key)
          .arg("not-the-owner").arg(Duration.ofMinutes(10)));
      assertThat(released).isFalse();
      assertThat(renewed).isFalse();
      assertThat(redis.get(key)).isEqualTo(owner);
      assertThat(redis.pttl(key)).isBetween(1L, pttl);
      assertThat(lease.isHeld()).isTrue();
    }
  }

  @Test
  void sameThread_reenters_andReleasesWithTheOutermost() throws Exception {
    WeftLock lock = weft.lock("reentrant");
    LockLease outer = lock.acquire(Duration.ZERO);
    long token = outer.fencingToken();
    try (LockLease inner = lock.acquire(Duration.ZERO)) {
      assertThat(inner.fencingToken()).isEqualTo(token);
    }
    assertThat(elsewhere(() -> lock.tryAcquire().isPresent()))
        .as("still held after the inner release").isFalse();
    assertThat(remote.lock("reentrant").tryAcquire()).isEmpty();
    outer.close();
    outer.close(); // idempotent
    assertThat(elsewhere(() -> lock.tryAcquire().map(l -> {
      l.close();
      return true;
    }).orElse(false))).isTrue();
    assertThat(LockContext.isHeld()).isFalse();
  }

  @Test
  void waiter_isWokenByTheRelease_notByPolling() throws Exception {
    awaitChangeFeeds();
    long initially = evalshaCalls();
    WeftLock lock = weft.lock("handoff", LockOptions.defaults().lease(Duration.ofMinutes(1)));
    LockLease held = lock.acquire(Duration.ZERO);
    CountDownLatch waiting = new CountDownLatch(1);
    WeftLock remoteLock = remote.lock("handoff", LockOptions.defaults().lease(Duration.ofMinutes(1)));
    Future<Long> waiter = others.submit(() -> {
      waiting.countDown();
      try (LockLease lease = remoteLock.acquire(Duration.ofSeconds(30))) {
        return System.nanoTime();
      }
    });
    waiting.await();
    // the waiter's attempts fail (the second one listening for the release) and it sleeps
    // the holder's acquire, then the waiter's attempt
    Await.until(Duration.ofSeconds(5), () -> "the waiter's attempt",
        () -> evalshaCalls() - initially >= 2);
    long before = evalshaCalls();
    Thread.sleep(300); // a quiet period in which a polling waiter would ask again
    long during = evalshaCalls() - before;
    long released = System.nanoTime();
    held.close();
    long acquiredAt = waiter.get(10, TimeUnit.SECONDS);
    assertThat(during).as("commands sent by the waiter while it waited").isZero();
    assertThat(Duration.ofNanos(acquiredAt - released))
        .as("woken by the release, well before the 1 s fallback poll")
        .isLessThan(Duration.ofMillis(900));
  }

  @Test
  void thousandWaiters_onDistinctKeys_shareOneSubscription_andDoNotSpin() throws Exception {
    // 1,000 threads asking at once on a 2-core machine may wait past the 1 s default command
    // timeout; this test is about subscriptions and spinning, not timeouts.
    weft.close();
    weft = Weft.builder().redisUrl(url).commandTimeout("10s").build();
    int n = 1000;
    // each runtime subscribes once, in the background, as it starts
    Await.until(Duration.ofSeconds(10), () -> "both runtimes' change feeds subscribed",
        () -> WeftAccess.cache(weft).feed().live() && WeftAccess.cache(remote).feed().live());
    long subscriptions = redis.pubsubNumsub("weft:changes").get("weft:changes");
    List<LockLease> held = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      held.add(weft.lock("crowd:" + i).acquire(Duration.ZERO));
    }
    List<Thread> waiters = new ArrayList<>();
    List<Boolean> acquired = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < n; i++) {
      WeftLock lock = weft.lock("crowd:" + i);
      Thread t = new Thread(() -> {
        try (LockLease lease = lock.acquire(Duration.ofSeconds(60))) {
          acquired.add(lease.isHeld());
        }
      });
      t.setDaemon(true);
      waiters.add(t);
      t.start();
    }
    Await.until(Duration.ofSeconds(30), () -> "all waiters asleep",
        () -> waiters.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));
    assertThat(redis.pubsubNumsub("weft:changes").get("weft:changes") - subscriptions)
        .as("subscriptions added for 1,000 waiters").isLessThanOrEqualTo(1L);
    long before = evalshaCalls();
    long start = System.nanoTime();
    Thread.sleep(1000); // how much do 1,000 sleeping waiters ask in a second?
    double seconds = (System.nanoTime() - start) / 1e9;
    long asked = evalshaCalls() - before;
    assertThat(asked).as("attempts by 1,000 waiters in %.2f s", seconds)
        .isLessThanOrEqualTo((long) (n * (seconds + 1)));
    held.forEach(LockLease::close);
    for (Thread t : waiters) {
      t.join(30_000);
    }
    assertThat(acquired).hasSize(n).containsOnly(true);
  }

  @Test
  void localWaiters_queueInProcess_soOnlyOneAsksRedis() throws Exception {
    long initially = evalshaCalls();
    WeftLock lock = weft.lock("queue", LockOptions.defaults().lease(Duration.ofMinutes(1)));
    LockLease held = lock.acquire(Duration.ZERO);
    int n = 16;
    List<Future<Long>> waiters = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      waiters.add(others.submit(() -> {
        try (LockLease lease = lock.acquire(Duration.ofSeconds(30))) {
          return lease.fencingToken();
        }
      }));
    }
    Await.until(Duration.ofSeconds(5), () -> "one waiter asked Redis",
        () -> evalshaCalls() - initially >= 2);
    long before = evalshaCalls();
    held.close();
    List<Long> tokens = new ArrayList<>();
    for (Future<Long> w : waiters) {
      tokens.add(w.get(30, TimeUnit.SECONDS));
    }
    assertThat(tokens).doesNotHaveDuplicates();
    // each of the 16 handoffs: the release, the one waiter in Redis acquiring, and the next
    // local waiter's first attempt; not one attempt by every waiting thread
    assertThat(evalshaCalls() - before).isLessThanOrEqualTo(3L * n + 2);
  }

  private long evalshaCalls() {
    return CommandStats.calls(redis, "evalsha");
  }

  /**
   * A waiter queued in-process behind another gets its whole wait, not the wait less its time in
   * the queue counted twice. Another process holds the lock for 1 s; two threads wait up to 3 s;
   * the first to get it works for 1.5 s, so the second gets it at about 2.5 s. With the queue time
   * subtracted twice, the second's deadline came at about 2 s and it gave up.
   */
  @Test
  void localWaiterBehindAnother_getsItsWholeWait() throws Exception {
    LockLease external = remote.lock("long-queue").acquire(Duration.ZERO);
    WeftLock lock = weft.lock("long-queue");
    Callable<Long> waiter = () -> {
      try (LockLease lease = lock.acquire(Duration.ofSeconds(3))) {
        Thread.sleep(1_500); // the holder's work
        return lease.fencingToken();
      }
    };
    long start = System.nanoTime();
    Future<Long> first = others.submit(waiter);
    Future<Long> second = others.submit(waiter);
    Thread.sleep(1_000); // the other process's work
    external.close();

    assertThat(List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS)))
        .doesNotHaveDuplicates();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("the second waited past 2 s, within its 3 s").isGreaterThan(Duration.ofMillis(2_400));
  }


  @Test
  void crashedHolder_isReplacedWhenItsLeaseEnds() throws Exception {
    awaitChangeFeeds(); // the waiter hears the expiry on the feed, else it polls once a second
    // a holder that never releases: its key with a 600 ms lease and no renewal
    redis.psetex("weft:lock:{crashed}", 600, "someone-else");
    long expiresAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(redis.pttl("weft:lock:{crashed}"));
    try (LockLease lease = weft.lock("crashed").acquire(Duration.ofSeconds(5))) {
      long now = System.nanoTime();
      assertThat(now - expiresAt).as("not before the lease ended").isGreaterThan(-TimeUnit.MILLISECONDS.toNanos(5));
      assertThat(Duration.ofNanos(now - expiresAt)).isLessThan(Duration.ofMillis(500));
    }
  }

  @Test
  void renewal_keepsTheLockThroughThreeLeases_andStopsOnRelease() throws Exception {
    Duration lease = Duration.ofSeconds(1);
    WeftLock lock = weft.lock("long-job", LockOptions.defaults().lease(lease));
    try (LockLease held = lock.acquire(Duration.ZERO)) {
      long end = System.nanoTime() + 3 * lease.toNanos();
      while (System.nanoTime() < end) {
        assertThat(remote.lock("long-job").tryAcquire()).isEmpty();
        assertThat(held.isHeld()).isTrue();
        Thread.sleep(20);
      }
      assertThat(engine().renewingCount()).isEqualTo(1);
    }
    assertThat(engine().renewingCount()).isZero();
    assertThat(redis.exists("weft:lock:{long-job}")).isZero();
  }

  @Test
  void withoutRenewal_theLeaseRunsOut_andIsHeldTurnsFalse() throws Exception {
    WeftLock lock =
        weft.lock("short", LockOptions.defaults().lease(Duration.ofMillis(200)).autoRenew(false));
    LockLease held = lock.acquire(Duration.ZERO);
    Await.until(Duration.ofSeconds(2), () -> "isHeld() false", () -> !held.isHeld());
    Optional<LockLease> next = elsewhere(() -> lock.tryAcquire(Duration.ofSeconds(2)));
    assertThat(next).isPresent();
    next.get().close();
    held.close(); // too late: changes nothing
  }

  @Test
  void lostLease_isDetected_andRenewalStops() throws Exception {
    Duration lease = Duration.ofMillis(300);
    LockLease held = weft.lock("stolen", LockOptions.defaults().lease(lease)).acquire(Duration.ZERO);
    redis.set("weft:lock:{stolen}", "thief"); // the lease "expired" and another owner took it
    Await.until(Duration.ofSeconds(3), () -> "the loss is noticed", () -> !held.isHeld());
    assertThat(engine().renewingCount()).isZero();
    held.close();
    assertThat(redis.get("weft:lock:{stolen}")).as("the thief's lock is untouched").isEqualTo("thief");
  }

  @Test
  void holdAtLeast_keepsTheLockAfterAnEarlyRelease() throws Exception {
    WeftLock lock = weft.lock("nightly",
        LockOptions.defaults().holdAtLeast(Duration.ofMillis(700)));
    long acquired = System.nanoTime();
    lock.acquire(Duration.ZERO).close();
    assertThat(elsewhere(() -> lock.tryAcquire().isPresent())).as("right after the release").isFalse();
    Optional<LockLease> next = elsewhere(() -> lock.tryAcquire(Duration.ofSeconds(5)));
    assertThat(next).isPresent();
    assertThat(Duration.ofNanos(System.nanoTime() - acquired)).isGreaterThanOrEqualTo(Duration.ofMillis(650));
    next.get().close();
  }

  @Test
  void interruptedWaiter_getsAnException_andKeepsItsFlag() throws Exception {
    WeftLock lock = weft.lock("busy");
    try (LockLease held = lock.acquire(Duration.ZERO)) {
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      CompletableFuture<Boolean> flag = new CompletableFuture<>();
      Thread waiter = new Thread(() -> {
        try {
          lock.acquire(Duration.ofSeconds(30));
        } catch (Throwable t) {
          flag.complete(Thread.currentThread().isInterrupted());
          failure.complete(t);
        }
      });
      waiter.start();
      Await.until(Duration.ofSeconds(5), () -> "the waiter waits",
          () -> waiter.getState() == Thread.State.TIMED_WAITING);
      waiter.interrupt();
      assertThat(failure.get(5, TimeUnit.SECONDS))
          .isInstanceOf(LockNotAcquiredException.class)
          .hasMessageContaining("interrupted")
          .hasRootCauseInstanceOf(InterruptedException.class);
      assertThat(flag.get()).isTrue();
    }
  }

  @Test
  void interruptStorm_leavesNoLockRenewedOrHeld() throws Exception {
    Duration lease = Duration.ofMillis(500);
    int holders = 20;
    List<Thread> threads = new ArrayList<>();
    CountDownLatch holding = new CountDownLatch(holders);
    for (int i = 0; i < holders * 2; i++) {
      String key = "storm:" + (i % holders);
      boolean holder = i < holders;
      Thread t = new Thread(() -> {
        WeftLock lock = weft.lock(key, LockOptions.defaults().lease(lease));
        try (LockLease held = lock.acquire(holder ? Duration.ZERO : Duration.ofSeconds(30))) {
          if (holder) {
            holding.countDown();
          }
          Thread.sleep(60_000);
        } catch (InterruptedException | LockNotAcquiredException e) {
          // interrupted while holding, or while waiting
        }
      });
      threads.add(t);
      t.start();
      if (holder && i == holders - 1) {
        holding.await(10, TimeUnit.SECONDS);
      }
    }
    Await.until(Duration.ofSeconds(5), () -> "everyone holds or waits",
        () -> threads.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      t.join(10_000);
    }
    long stormEnded = System.nanoTime();
    // Waiters may have got a released lock before their interrupt landed; all are gone now.
    Await.until(lease.multipliedBy(3), () -> "no lock renewed: " + engine().renewingCount(),
        () -> engine().renewingCount() == 0 && redis.keys("weft:lock:{storm:*}").isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - stormEnded)).isLessThan(lease.multipliedBy(3));
  }

  @Test
  void unreachableRedis_failsClosed() {
    try (Weft dead = Weft.builder().redisUrl("redis://127.0.0.1:1").commandTimeout(Duration.ofMillis(300)).build()) {
      assertThatThrownBy(() -> dead.lock("anything").acquire(Duration.ofSeconds(1)))
          .isInstanceOf(LockNotAcquiredException.class)
          .hasMessageContaining("cannot be reached")
          .hasMessageContaining("fail closed")
          .satisfies(e -> assertThat(e.getCause()).isNotNull());
    }
  }

  @Test
  void badArguments_areRefusedClearly() {
    assertThatThrownBy(() -> weft.lock("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> LockOptions.defaults().lease(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
    assertThatThrownBy(() -> weft.lock("k").tryAcquire(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait");
    assertThatThrownBy(LockContext::currentFencingToken).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside");
  }
}
