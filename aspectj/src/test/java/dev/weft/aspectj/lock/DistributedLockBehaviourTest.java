package dev.weft.aspectj.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Weft;
import dev.weft.annotation.LockContext;
import dev.weft.aspectj.Mode;
import dev.weft.aspectj.WovenRedisTest;
import dev.weft.aspectj.lock.Jobs.Inside;
import dev.weft.aspectj.lock.Jobs.Nested;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.lock.LockLease;
import dev.weft.test.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @DistributedLock} on woven methods, against a real Redis. A lock's Redis key is {@code
 * weft:lock:{<rendered key>}}; a key held "elsewhere" is taken through {@link Weft#lock} on another
 * thread (locks are reentrant per thread, so the test's own thread would simply re-enter it).
 */
class DistributedLockBehaviourTest extends WovenRedisTest {

  private static final Duration BOUND = Duration.ofSeconds(10);

  private final Jobs jobs = Jobs.create();
  private final ExecutorService others = Executors.newCachedThreadPool();

  /** After every test: every lock key and fence has a TTL, and no lock stays held. */
  @AfterEach
  void noLockOutlivesItsTest() throws InterruptedException {
    others.shutdownNow();
    for (String key : redis.keys("weft:lock:{*")) {
      assertThat(redis.pttl(key)).as("PTTL of %s (-1: no TTL)", key).isNotEqualTo(-1L);
    }
    // A holdAtLeast lock expires within its second; nothing else may still be locked.
    Await.until(Duration.ofSeconds(5), () -> "no lock left, found " + redis.keys("weft:lock:{*"),
        () -> redis.keys("weft:lock:{*").stream().allMatch(k -> k.endsWith(":fence")));
  }

  @Test
  void eightThreadsOnOneKey_oneBodyAtATime_andEveryCallRuns() throws Exception {
    int threads = 8;
    int calls = 3;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      workers.add(others.submit(() -> {
        go.await();
        for (int c = 0; c < calls; c++) {
          jobs.exclusive("shared");
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
    assertThat(jobs.maxActive).as("bodies running at the same time, at most").hasValue(1);
    assertThat(jobs.runs).as("calls that ran").hasValue(threads * calls);
  }

  @Test
  void differentKeys_doNotBlockEachOther() throws Exception {
    CountDownLatch enteredA = new CountDownLatch(1);
    CountDownLatch leaveA = new CountDownLatch(1);
    Future<String> a = others.submit(() -> jobs.holding("a", enteredA, leaveA));
    try {
      assertThat(enteredA.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("a entered").isTrue();
      // waitTime is 0: were "b" blocked by "a", this would throw instead of running.
      assertThat(jobs.holding("b", new CountDownLatch(1), new CountDownLatch(0))).isEqualTo("b");
      assertThat(redis.exists("weft:lock:{job:a}")).as("a is still held").isOne();
      assertThatThrownBy(() -> jobs.now("a"))
          .as("while the same key is refused").isInstanceOf(LockNotAcquiredException.class);
    } finally {
      leaveA.countDown();
    }
    assertThat(a.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo("a");
    assertThat(jobs.runs).hasValue(2);
  }

  @Test
  void lockHeldElsewhere_throwWithWaitTimeZero_namesKeyAndMethod_bodyDoesNotRun()
      throws Exception {
    try (LockLease held = heldElsewhere("job:busy")) {
      assertThat(redis.get("weft:lock:{job:busy}")).as("the holder's token").isNotBlank();
      long start = System.nanoTime();
      assertThatThrownBy(() -> jobs.now("busy"))
          .isInstanceOfSatisfying(LockNotAcquiredException.class, e -> {
            assertThat(e.key()).isEqualTo("job:busy");
            assertThat(e.waited()).isEqualTo(Duration.ZERO);
            assertThat(e.getCause()).as("simply taken, no failure").isNull();
            assertThat(e.getMessage())
                .contains(Mode.annotationOnly(Jobs.class.getName() + ".now(String)"))
                .contains("job:busy");
          });
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("refused at once, not after waiting").isLessThan(Duration.ofSeconds(3));
      assertThat(jobs.runs).hasValue(0);
    }
    assertThat(jobs.now("busy")).as("once released").isEqualTo("ran busy");
    assertThat(jobs.runs).hasValue(1);
  }

  @Test
  void lockHeldElsewhere_skip_returnsNullEmptyOrNothing_bodiesDoNotRun() throws Exception {
    try (LockLease held = heldElsewhere("job:nightly")) {
      assertThat(jobs.skippedValue("nightly")).isNull();
      assertThat(jobs.runs).as("String method: bodies run while the lock was taken").hasValue(0);
      assertThat(jobs.skippedOptional("nightly")).isEmpty();
      assertThat(jobs.runs).as("Optional method: bodies run while the lock was taken").hasValue(0);
      jobs.skippedVoid("nightly");
      assertThat(jobs.runs).as("void method: bodies run while the lock was taken").hasValue(0);
      CompletableFuture<String> future = jobs.skippedFuture("nightly");
      assertThat(future).isCompletedWithValue(null);
      assertThat(jobs.runs).as("future method: bodies run while the lock was taken").hasValue(0);
    }
    // Free again: the same methods run and return their real results.
    assertThat(jobs.skippedValue("nightly")).isEqualTo("ran nightly");
    assertThat(jobs.skippedOptional("nightly")).contains("ran nightly");
    jobs.skippedVoid("nightly");
    assertThat(jobs.skippedFuture("nightly").get(BOUND.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo("ran nightly");
    assertThat(jobs.runs).hasValue(4);
  }

  @Test
  void fencingToken_strictlyIncreasesAcrossCallsAndHolders_lockContextOnlyInside()
      throws Exception {
    assertThat(LockContext.isHeld()).as("outside, before").isFalse();
    assertThatThrownBy(LockContext::currentFencingToken).isInstanceOf(IllegalStateException.class);
    List<Long> tokens = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Inside inside = jobs.fenced("f");
      assertThat(inside.held()).as("isHeld() inside call %d", i).isTrue();
      tokens.add(inside.token());
      if (i == 4) {
        // another holder of the same key in between: its token lies between the calls'
        try (LockLease lease = heldElsewhere("fenced:f")) {
          tokens.add(lease.fencingToken());
        }
      }
    }
    for (int i = 1; i < tokens.size(); i++) {
      assertThat(tokens.get(i)).as("token %d of %s", i, tokens).isGreaterThan(tokens.get(i - 1));
    }
    assertThat(LockContext.isHeld()).as("outside, after").isFalse();
    assertThatThrownBy(LockContext::currentFencingToken).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void sameThread_reentersTheLockItHolds_andReleasesWithTheOutermostCall() {
    Mode.assumeNotProxied("a call the fixture makes on itself (Jobs.outer calls inner)");
    // Both methods have waitTime 0: a failure to re-enter is an exception, never a hang.
    Nested nested = jobs.outer("r", () -> redis.exists("weft:lock:{re:r}") == 1);
    assertThat(nested.inner().token()).as("the same hold").isEqualTo(nested.outer().token());
    assertThat(nested.inner().held()).isTrue();
    assertThat(nested.heldAfterInner()).as("isHeld() after the inner call returned").isTrue();
    assertThat(nested.lockedAfterInner()).as("the inner call did not release the lock").isTrue();
    assertThat(redis.exists("weft:lock:{re:r}")).as("released after the outer call").isZero();
    assertThat(LockContext.isHeld()).isFalse();
    assertThat(jobs.runs).hasValue(2);
  }

  /**
   * Re-entering a lost lock: the outer call's lease (300 ms, not renewed) runs out and another
   * owner takes the key; a nested call on the same key used to reuse the outer hold unchecked and
   * run its body while the other owner held the lock. It must not run: it throws, naming the lost
   * hold, and the other owner keeps the lock.
   */
  @Test
  void nestedCall_afterTheOuterLeaseLapsed_andAnotherOwnerTookTheLock_doesNotRunAndThrows()
      throws Exception {
    Mode.assumeNotProxied("a call the fixture makes on itself (outerThatLapses calls afterLapse)");
    String key = "weft:lock:{lapse:l}";
    CountDownLatch outerRunning = new CountDownLatch(1);
    CountDownLatch leave = new CountDownLatch(1);
    Future<?> other = others.submit(() -> {
      outerRunning.await(BOUND.toSeconds(), TimeUnit.SECONDS);
      // Another thread, so no re-entry: it waits until the outer lease ran out, then holds.
      try (LockLease lease = weft.lock("lapse:l").acquire(BOUND)) {
        return leave.await(BOUND.toSeconds(), TimeUnit.SECONDS);
      }
    });
    String[] otherOwner = new String[1];
    Runnable meanwhile = () -> {
      String outerOwner = redis.get(key);
      outerRunning.countDown();
      Await.until(BOUND, () -> "another owner took the lock", () -> {
        String owner = redis.get(key);
        return owner != null && !owner.equals(outerOwner);
      });
      otherOwner[0] = redis.get(key);
    };
    try {
      assertThatThrownBy(() -> jobs.outerThatLapses("l", meanwhile))
          .isInstanceOf(LockNotAcquiredException.class)
          .hasMessageContaining("cannot re-enter the lock 'lapse:l'")
          .hasMessageContaining("was lost")
          .hasMessageContaining(Mode.annotationOnly("Jobs.afterLapse(String)"));
      assertThat(jobs.nestedRuns).as("nested bodies run while another owner held the lock")
          .hasValue(0);
      assertThat(redis.get(key)).as("the other owner still holds the lock").isEqualTo(otherOwner[0]);
    } finally {
      leave.countDown();
      other.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }
    assertThat(LockContext.isHeld()).isFalse();
  }

  @Test
  void bodyThrows_lockIsReleased_nextCallAcquiresAtOnce() throws Exception {
    assertThatThrownBy(() -> jobs.failing("boom"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom in boom");
    assertThat(redis.exists("weft:lock:{job:boom}")).isZero();
    assertThat(LockContext.isHeld()).isFalse();
    // waitTime 0, from another thread (no reentry possible): runs only if the lock is free.
    assertThat(others.submit(() -> jobs.now("boom")).get(BOUND.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo("ran boom");
    assertThat(jobs.runs).hasValue(2);
  }

  @Test
  void holdAtLeast_keepsTheLockAfterAFastCall_laterCallsSkipUntilItEnds() throws Exception {
    String key = "weft:lock:{nightly:report}";
    // The runtime's connection and the lock machinery's first use are not what is timed here.
    jobs.fenced("warm-up");
    jobs.runs.set(0);
    long start = System.nanoTime();
    assertThat(jobs.nightly("report")).isTrue();
    assertThat(redis.pttl(key)).as("still locked after the return, for the rest of 1 s")
        .isBetween(1L, 1000L);
    List<Long> skippedMillis = new ArrayList<>();
    long ranByMillis = -1;
    long deadline = start + TimeUnit.SECONDS.toNanos(5);
    while (ranByMillis < 0 && System.nanoTime() - deadline < 0) {
      Boolean ran = jobs.nightly("report");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (ran == null) {
        skippedMillis.add(millis);
        Thread.sleep(20); // pace the attempts of this bounded loop
      } else {
        ranByMillis = millis;
      }
    }
    assertThat(skippedMillis).as("calls skipped while the first call's second lasted").isNotEmpty();
    assertThat(ranByMillis).as("ms after the first call started when a call ran again")
        .isGreaterThanOrEqualTo(995L)
        .isLessThan(2500L);
    assertThat(jobs.runs).hasValue(2);
  }

  @Test
  void futureMethod_holdsTheLockUntilTheFutureCompletes() throws Exception {
    String key = "weft:lock:{async:f}";
    CompletableFuture<String> result = new CompletableFuture<>();
    CompletableFuture<String> returned = jobs.async("f", result);
    assertThat(returned).isNotDone();
    assertThat(LockContext.isHeld()).as("the calling thread moved on").isFalse();
    assertThat(redis.exists(key)).as("locked while the future is pending").isOne();
    assertThat(tryElsewhere("async:f")).as("another thread gets it").isFalse();
    assertThatThrownBy(() -> jobs.async("f", new CompletableFuture<>()))
        .as("the lock belongs to the pending future, not to the calling thread")
        .isInstanceOf(LockNotAcquiredException.class);

    result.complete("done");
    assertThat(returned.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done");
    Await.until(BOUND, () -> key + " released", () -> redis.exists(key) == 0);
    assertThat(tryElsewhere("async:f")).as("free once the future completed").isTrue();

    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletableFuture<String> failed = jobs.async("f", failing);
    assertThat(redis.exists(key)).isOne();
    failing.completeExceptionally(new IllegalStateException("failed later"));
    assertThat(failed).isCompletedExceptionally();
    Await.until(BOUND, () -> key + " released after a failure", () -> redis.exists(key) == 0);
    assertThat(jobs.runs).hasValue(2);
  }

  @Test
  void redisUnreachable_methodDoesNotRun_callThrowsSayingRedisCannotBeReached() {
    Weft dead = Weft.builder().redisUrl("redis://127.0.0.1:1").commandTimeout("200ms").build();
    Weft.install(dead);
    try {
      assertThatThrownBy(() -> jobs.now("down"))
          .isInstanceOfSatisfying(LockNotAcquiredException.class, e -> {
            assertThat(e.key()).isEqualTo("job:down");
            assertThat(e.getCause()).as("the Redis failure").isNotNull();
            assertThat(e.getMessage())
                .contains("cannot be reached")
                .contains(Mode.annotationOnly(Jobs.class.getName() + ".now(String)"));
          });
      // SKIP is about a taken lock; an unreachable Redis fails closed there too.
      assertThatThrownBy(() -> jobs.skippedValue("down"))
          .isInstanceOf(LockNotAcquiredException.class)
          .hasMessageContaining("cannot be reached");
      assertThat(jobs.runs).hasValue(0);
    } finally {
      Weft.install(weft);
      dead.close();
    }
  }

  @Test
  void lockKey_hasTheLeaseAsTtlWhileHeld_andIsRemovedAfterTheCall() throws Exception {
    String key = "weft:lock:{lease:t}";
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch leave = new CountDownLatch(1);
    Future<?> call = others.submit(() -> {
      jobs.leased("t", entered, leave);
      return null;
    });
    try {
      assertThat(entered.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(redis.get(key)).as("the owner's token").isNotBlank();
      assertThat(redis.pttl(key)).as("lease = 5s").isBetween(1L, 5000L);
      assertThat(redis.pttl(key + ":fence")).as("the fence has a TTL too").isPositive();
    } finally {
      leave.countDown();
    }
    call.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(redis.exists(key)).as("removed after the call").isZero();
  }

  @Test
  void skipOnAMethodReturningInt_isAConfigurationErrorAtTheFirstCall() {
    assumeTrue(Mode.annotated(), "an annotation mistake; the programmatic API has no such call");
    assertThatThrownBy(() -> jobs.skippedPrimitive("p"))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining(Jobs.class.getName() + ".skippedPrimitive(String)")
        .hasMessageContaining("onLocked = SKIP");
    assertThat(jobs.runs).hasValue(0);
    assertThat(redis.exists("weft:lock:{job:p}", "weft:lock:{job:p}:fence"))
        .as("refused before touching Redis").isZero();
  }

  /**
   * Takes the lock on {@code userKey} on a thread of its own, so that this thread does not hold
   * it; the returned lease may be closed from any thread.
   */
  private static LockLease heldElsewhere(String userKey) throws Exception {
    CompletableFuture<LockLease> lease = new CompletableFuture<>();
    Thread holder = new Thread(() -> {
      try {
        lease.complete(weft.lock(userKey).acquire(Duration.ZERO));
      } catch (Throwable t) {
        lease.completeExceptionally(t);
      }
    }, "holder-" + userKey);
    holder.start();
    return lease.get(BOUND.toSeconds(), TimeUnit.SECONDS);
  }

  /** @return whether another thread got the lock on {@code userKey} at once (released again) */
  private boolean tryElsewhere(String userKey) throws Exception {
    Future<Boolean> tried = others.submit(() -> weft.lock(userKey).tryAcquire().map(lease -> {
      lease.close();
      return true;
    }).orElse(false));
    try {
      return tried.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("trying the lock " + userKey + " failed", e.getCause());
    }
  }
}
