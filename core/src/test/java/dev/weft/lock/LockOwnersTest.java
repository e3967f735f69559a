package dev.weft.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.annotation.DistributedLock;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.internal.lock.Hold;
import dev.weft.lock.LockLease;
import dev.weft.lock.LockOptions;
import dev.weft.outage.LogCapture;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import dev.weft.weaving.MethodPlan;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who a lock is renewed for: a hold ends when its owner does. A thread that took a lock and ended
 * without releasing it, a {@link LockLease} dropped unclosed, a future a lock is held for dropped
 * without completing: each used to be renewed until the process ended. Each now stops being
 * renewed (with one WARN naming the key and where the lock was acquired) and the lock expires
 * within its lease. Also: {@link LockOptions#maxHold()} ends a hold however long its owner lives,
 * and re-entering a hold checks it is still held.
 */
@WeftRedis
class LockOwnersTest {

  private static final Duration LEASE = Duration.ofSeconds(2);
  /** How long after the owner is gone the key may live: a lease, a renewal period, slack. */
  private static final Duration EXPIRY_BOUND = LEASE.multipliedBy(2).plusSeconds(3);

  private Weft weft;
  private Weft previous;
  /** A second runtime: to Redis, another process. */
  private Weft remote;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;
  private final ExecutorService others = Executors.newCachedThreadPool();

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    previous = Weft.install(weft);
    remote = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterEach
  void close() {
    others.shutdownNow();
    if (previous != null) {
      Weft.install(previous);
    }
    connection.close();
    client.shutdown();
    remote.close();
    weft.close();
  }

  /** Locked methods as a user annotates them, run through their {@link MethodPlan}. */
  static class Fixture {
    @DistributedLock(key = "thread:{0}", lease = "2s")
    public void locked(String id) {}

    @DistributedLock(key = "future:{0}", lease = "2s")
    public CompletableFuture<String> later(String id) {
      return new CompletableFuture<>();
    }

    @DistributedLock(key = "short", lease = "1m", maxHold = "30s")
    public void boundBelowItsLease() {}
  }

  private static MethodPlan plan(String name, Class<?>... parameters) throws Exception {
    return MethodPlan.build(Fixture.class.getMethod(name, parameters));
  }

  private static List<String> warnings(LogCapture log, String text) {
    return log.lines("WARN", "dev.weft.").stream().filter(l -> l.contains(text)).toList();
  }

  @Test
  void threadThatTookALock_endsWithoutReleasing_renewalStops_andTheLockExpiresWithItsLease()
      throws Exception {
    MethodPlan plan = plan("locked", String.class);
    String key = "weft:lock:{thread:t}";
    try (LogCapture log = LogCapture.start()) {
      // The woven method's first half runs and its thread ends: the second half never comes.
      Thread owner = new Thread(() -> {
        Object scope = plan.enter(new Fixture(), new Object[] {"t"});
        assertThat(scope).isNotNull();
      }, "dies-holding");
      owner.start();
      owner.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(redis.exists(key)).as("taken by the thread").isEqualTo(1L);
      long ended = System.nanoTime();

      Await.until(EXPIRY_BOUND, () -> "the lock expired, PTTL " + redis.pttl(key),
          () -> redis.exists(key) == 0);
      assertThat(Duration.ofNanos(System.nanoTime() - ended))
          .as("from the thread's end to the lock's expiry").isLessThan(EXPIRY_BOUND);
      Await.until(Duration.ofSeconds(5), () -> "a WARN: " + log.lines(),
          () -> !warnings(log, "'thread:t'").isEmpty());
      assertThat(warnings(log, "'thread:t'")).singleElement().asString()
          .contains("the thread 'dies-holding' that held it ended without releasing it")
          .contains("acquired at dev.weft.lock.LockOwnersTest")
          .contains("expires at the end of its lease");
    }
  }

  @Test
  void unclosedLease_becomesUnreachable_renewalStops_andTheLockExpires() {
    String key = "weft:lock:{dropped:lease}";
    try (LogCapture log = LogCapture.start()) {
      acquireAndDrop("dropped:lease");
      assertThat(redis.exists(key)).isEqualTo(1L);
      // GC is not guaranteed to clear the reference at once: ask again until the lock is gone.
      Await.until(Duration.ofSeconds(20), () -> "the dropped lease's lock expired",
          () -> {
            System.gc();
            return redis.exists(key) == 0;
          });
      assertThat(warnings(log, "'dropped:lease'")).singleElement().asString()
          .contains("its LockLease became unreachable without being closed")
          .contains("acquired at dev.weft.lock.LockOwnersTest.acquireAndDrop");
    }
    assertThat(weft.lock("dropped:lease").tryAcquire())
        .as("free again, and this thread does not re-enter the dropped hold")
        .hasValueSatisfying(LockLease::close);
  }

  private void acquireAndDrop(String key) {
    Optional<LockLease> lease =
        weft.lock(key, LockOptions.defaults().lease(LEASE)).tryAcquire();
    assertThat(lease).isPresent();
  }

  @Test
  void lockHeldForAFuture_futureDroppedWithoutCompleting_renewalStops_andTheLockExpires()
      throws Throwable {
    MethodPlan plan = plan("later", String.class);
    String key = "weft:lock:{future:f}";
    try (LogCapture log = LogCapture.start()) {
      Fixture fixture = new Fixture();
      assertThat(plan.around(fixture, new Object[] {"f"}, args -> fixture.later("f")))
          .isInstanceOf(CompletableFuture.class);
      assertThat(redis.exists(key)).isEqualTo(1L);
      Await.until(Duration.ofSeconds(20), () -> "the dropped future's lock expired",
          () -> {
            System.gc();
            return redis.exists(key) == 0;
          });
      assertThat(warnings(log, "'future:f'")).singleElement().asString()
          .contains("the future it was held for became unreachable without completing");
    }
  }

  @Test
  void leaseHandedToAFuture_bothDropped_renewalStops_andTheLockExpires() {
    String key = "weft:lock:{dropped:future}";
    handToAFutureAndDrop("dropped:future");
    assertThat(redis.exists(key)).isEqualTo(1L);
    Await.until(Duration.ofSeconds(20), () -> "the lock of the dropped future expired",
        () -> {
          System.gc();
          return redis.exists(key) == 0;
        });
  }

  private void handToAFutureAndDrop(String key) {
    LockLease lease = weft.lock(key, LockOptions.defaults().lease(LEASE)).acquire(Duration.ZERO);
    lease.releaseWhenComplete(new CompletableFuture<Void>());
  }

  @Test
  void reachableLease_ofALiveThread_isRenewedPastTwoLeases() {
    String key = "weft:lock:{kept}";
    try (LockLease lease = weft.lock("kept", LockOptions.defaults().lease(LEASE)).acquire(Duration.ZERO)) {
      String token = redis.get(key);
      long until = System.nanoTime() + LEASE.multipliedBy(2).toNanos();
      Await.until(LEASE.multipliedBy(5), () -> "two leases passed",
          () -> {
            System.gc();
            assertThat(redis.get(key)).as("still ours while the lease is reachable").isEqualTo(token);
            return System.nanoTime() - until >= 0;
          });
      assertThat(lease.isHeld()).isTrue();
    }
    assertThat(redis.exists(key)).isZero();
  }

  @Test
  void maxHold_endsAHold_evenWhileItsOwnerLives_theLockExpiresAtTheBound() {
    String key = "weft:lock:{bounded}";
    Duration maxHold = Duration.ofMillis(3000);
    LockOptions options = LockOptions.defaults().lease(Duration.ofMillis(1500)).maxHold(maxHold);
    try (LogCapture log = LogCapture.start();
        LockLease lease = weft.lock("bounded", options).acquire(Duration.ZERO)) {
      long acquired = System.nanoTime();
      Await.until(Duration.ofSeconds(10), () -> "the bounded lock expired",
          () -> redis.exists(key) == 0);
      Duration held = Duration.ofNanos(System.nanoTime() - acquired);
      assertThat(held).as("held, renewed, up to maxHold").isGreaterThan(maxHold.minusMillis(100));
      assertThat(held).as("not renewed past maxHold").isLessThan(maxHold.plusSeconds(1));
      assertThat(lease.isHeld()).isFalse();
      Await.until(Duration.ofSeconds(5), () -> "a WARN", () -> !warnings(log, "'bounded'").isEmpty());
      assertThat(warnings(log, "'bounded'")).singleElement().asString()
          .contains("maxHold of PT3S")
          .contains("acquired at dev.weft.lock.LockOwnersTest");
    }
  }

  @Test
  void maxHoldShorterThanTheLease_onAnAnnotation_failsTheFirstCall_andTheBodyDoesNotRun()
      throws Exception {
    MethodPlan plan = plan("boundBelowItsLease");
    assertThatThrownBy(() -> plan.around(new Fixture(), new Object[0], args -> {
      throw new AssertionError("the body ran");
    }))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("@DistributedLock(maxHold = \"30s\") on ")
        .hasMessageContaining("boundBelowItsLease()")
        .hasMessageContaining("is shorter than the lease (1m)");
  }

  @Test
  void maxHoldShorterThanTheLease_isRefused() {
    assertThatThrownBy(() -> LockOptions.defaults().maxHold(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxHold must be zero (no bound) or at least the lease (PT30S)");
  }

  @Test
  void reentry_afterTheOuterLeaseLapsed_andAnotherProcessTookTheLock_throwsAndDoesNotEnter()
      throws Exception {
    LockOptions unrenewed = LockOptions.defaults().lease(Duration.ofMillis(300)).autoRenew(false);
    try (LockLease outer = weft.lock("lapsed", unrenewed).acquire(Duration.ZERO)) {
      LockLease other = others.submit(() -> remote.lock("lapsed").acquire(Duration.ofSeconds(10)))
          .get(30, TimeUnit.SECONDS);
      try {
        assertThatThrownBy(() -> weft.lock("lapsed").tryAcquire())
            .isInstanceOf(LockNotAcquiredException.class)
            .hasMessageContaining("cannot re-enter the lock 'lapsed': this thread's hold of it")
            .hasMessageContaining("was lost");
        assertThat(outer.isHeld()).isFalse();
        assertThat(other.isHeld()).as("the other process's hold is untouched").isTrue();
      } finally {
        others.submit(other::close).get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void reentry_afterRenewalFoundTheLockTaken_throwsAndDoesNotEnter() throws Exception {
    String key = "weft:lock:{stolen}";
    try (LockLease outer = weft.lock("stolen", LockOptions.defaults().lease(LEASE)).acquire(Duration.ZERO)) {
      redis.del(key); // as its lapse would look to Redis
      LockLease other = others.submit(() -> remote.lock("stolen").acquire(Duration.ZERO))
          .get(30, TimeUnit.SECONDS);
      try {
        Await.until(Duration.ofSeconds(5), () -> "the renewal found the lock taken",
            () -> !outer.isHeld());
        assertThatThrownBy(() -> weft.lock("stolen").acquire(Duration.ofSeconds(1)))
            .isInstanceOf(LockNotAcquiredException.class)
            .hasMessageContaining("was lost: Redis no longer holds it for this owner");
      } finally {
        others.submit(other::close).get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void reentry_pastTheKnownHeldTime_butStillOursInRedis_isConfirmedAndEntered() {
    String key = "weft:lock:{late}";
    LockOptions unrenewed = LockOptions.defaults().lease(Duration.ofMillis(300)).autoRenew(false);
    try (LockLease outer = weft.lock("late", unrenewed).acquire(Duration.ZERO)) {
      redis.pexpire(key, 10_000); // Redis still holds it, as after a renewal whose reply was lost
      Await.until(Duration.ofSeconds(5), () -> "past the known-held time", () -> !outer.isHeld());
      try (LockLease inner = weft.lock("late").acquire(Duration.ZERO)) {
        assertThat(inner.fencingToken()).as("the same hold").isEqualTo(outer.fencingToken());
        assertThat(inner.isHeld()).as("known to be held again, once confirmed").isTrue();
      }
      assertThat(redis.exists(key)).as("the inner close leaves the outer's lock").isEqualTo(1L);
    }
    assertThat(redis.exists(key)).isZero();
  }

  /**
   * Capturing where a lock is acquired walks the caller's stack once: it must cost little next to
   * the Redis round trip of the acquisition.
   */
  @Test
  void acquisitionSite_costsLittleNextToTheAcquisition() {
    for (int i = 0; i < 2_000; i++) {
      Hold.callerSite();
    }
    int n = 2_000;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Hold.callerSite();
    }
    long walk = (System.nanoTime() - start) / n;
    start = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      weft.lock("cost").tryAcquire().orElseThrow().close();
    }
    long acquireAndRelease = (System.nanoTime() - start) / 200;
    System.out.printf("caller site: %d ns; acquire + release: %d ns%n", walk, acquireAndRelease);
    assertThat(walk).as("ns per stack walk, vs %d ns per acquire and release", acquireAndRelease)
        .isLessThan(acquireAndRelease / 4);
  }
}
