package dev.weft.aspectj.lock;

import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.DistributedLock.OnLocked;
import dev.weft.annotation.LockContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Methods guarded by {@code @DistributedLock}, woven by ajc (and by the agent when the suite runs
 * under it). Every body counts its runs, so a test can tell a skipped or refused call from one
 * that ran.
 */
public class Jobs {

  /** What a locked body saw of its own lock. */
  public record Inside(long token, boolean held) {}

  /** What a locked body saw around a nested call locked on the same key. */
  public record Nested(Inside outer, Inside inner, boolean heldAfterInner, boolean lockedAfterInner) {}

  final AtomicInteger runs = new AtomicInteger();

  /** @return jobs for this JVM's {@link dev.weft.aspectj.Mode} */
  public static Jobs create() {
    return dev.weft.aspectj.Mode.programmatic()
        ? new ProgrammaticJobs()
        : dev.weft.aspectj.Mode.fixture(new Jobs());
  }
  final AtomicInteger active = new AtomicInteger();
  final AtomicInteger maxActive = new AtomicInteger();

  /** A short critical section: counts the bodies running at the same time. */
  @DistributedLock(key = "job:{0}", waitTime = "10s")
  public void exclusive(String id) throws InterruptedException {
    int now = active.incrementAndGet();
    maxActive.accumulateAndGet(now, Math::max);
    try {
      Thread.sleep(10);
    } finally {
      active.decrementAndGet();
      runs.incrementAndGet();
    }
  }

  /** Holds the lock until told to leave; waitTime 0, so a taken lock throws at once. */
  @DistributedLock(key = "job:{0}")
  public String holding(String id, CountDownLatch entered, CountDownLatch leave)
      throws InterruptedException {
    runs.incrementAndGet();
    entered.countDown();
    if (!leave.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never let " + id + " go");
    }
    return id;
  }

  /** As {@link #holding} with a 5-second lease, to see the lease as the key's TTL. */
  @DistributedLock(key = "lease:{0}", lease = "5s")
  public void leased(String id, CountDownLatch entered, CountDownLatch leave)
      throws InterruptedException {
    runs.incrementAndGet();
    entered.countDown();
    if (!leave.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never let " + id + " go");
    }
  }

  /** Fails at once if the lock is taken (THROW, waitTime 0). */
  @DistributedLock(key = "job:{0}")
  public String now(String id) {
    runs.incrementAndGet();
    return "ran " + id;
  }

  @DistributedLock(key = "job:{0}", onLocked = OnLocked.SKIP)
  public String skippedValue(String id) {
    runs.incrementAndGet();
    return "ran " + id;
  }

  @DistributedLock(key = "job:{0}", onLocked = OnLocked.SKIP)
  public Optional<String> skippedOptional(String id) {
    runs.incrementAndGet();
    return Optional.of("ran " + id);
  }

  @DistributedLock(key = "job:{0}", onLocked = OnLocked.SKIP)
  public void skippedVoid(String id) {
    runs.incrementAndGet();
  }

  @DistributedLock(key = "job:{0}", onLocked = OnLocked.SKIP)
  public CompletableFuture<String> skippedFuture(String id) {
    runs.incrementAndGet();
    return CompletableFuture.completedFuture("ran " + id);
  }

  /** Not allowed: a skipped call cannot return an int. The processor is not run on this build. */
  @DistributedLock(key = "job:{0}", onLocked = OnLocked.SKIP)
  public int skippedPrimitive(String id) {
    runs.incrementAndGet();
    return 1;
  }

  @DistributedLock(key = "fenced:{0}")
  public Inside fenced(String id) {
    runs.incrementAndGet();
    return new Inside(LockContext.currentFencingToken(), LockContext.isHeld());
  }

  /**
   * Calls {@link #inner} (locked on the same key, waitTime 0) while holding the lock.
   *
   * @param locked asked after the inner call: is the lock still in Redis?
   */
  @DistributedLock(key = "re:{0}")
  public Nested outer(String id, BooleanSupplier locked) {
    runs.incrementAndGet();
    Inside outer = new Inside(LockContext.currentFencingToken(), LockContext.isHeld());
    Inside inner = inner(id);
    return new Nested(outer, inner, LockContext.isHeld(), locked.getAsBoolean());
  }

  @DistributedLock(key = "re:{0}")
  public Inside inner(String id) {
    runs.incrementAndGet();
    return new Inside(LockContext.currentFencingToken(), LockContext.isHeld());
  }

  /** Runs of {@link #afterLapse}'s body. */
  public final AtomicInteger nestedRuns = new AtomicInteger();

  /**
   * Holds {@code lapse:{0}} on a 300 ms lease without renewal, runs {@code meanwhile} (in which
   * the test lets the lease run out and another owner take the lock), then calls {@link
   * #afterLapse}, locked on the same key.
   */
  @DistributedLock(key = "lapse:{0}", lease = "300ms", autoRenew = false)
  public Inside outerThatLapses(String id, Runnable meanwhile) {
    runs.incrementAndGet();
    meanwhile.run();
    return afterLapse(id);
  }

  @DistributedLock(key = "lapse:{0}")
  public Inside afterLapse(String id) {
    nestedRuns.incrementAndGet();
    return new Inside(LockContext.currentFencingToken(), LockContext.isHeld());
  }

  @DistributedLock(key = "job:{0}")
  public void failing(String id) {
    runs.incrementAndGet();
    throw new IllegalStateException("boom in " + id);
  }

  /** A scheduled-job style method: one run per second at most, the others skip. */
  @DistributedLock(key = "nightly:{0}", onLocked = OnLocked.SKIP, holdAtLeast = "1s")
  public Boolean nightly(String id) {
    runs.incrementAndGet();
    return Boolean.TRUE;
  }

  /** Returns {@code result} as it is: the lock is held until the test completes it. */
  @DistributedLock(key = "async:{0}")
  public CompletableFuture<String> async(String id, CompletableFuture<String> result) {
    runs.incrementAndGet();
    return result;
  }
}
