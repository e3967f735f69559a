package dev.weft.aspectj.lock;

import dev.weft.Weft;
import dev.weft.lock.LockLease;
import dev.weft.lock.LockOptions;
import dev.weft.lock.WeftLock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * {@link Jobs} with its {@code @DistributedLock} annotations written out with {@link WeftLock}:
 * {@code acquire} for THROW, {@code tryAcquire} for SKIP, try-with-resources for the release, and
 * {@link LockLease#releaseWhenComplete} for a method returning a future.
 */
final class ProgrammaticJobs extends Jobs {

  private static WeftLock lock(String key) {
    return Weft.global().lock(key);
  }

  /** Runs {@code body} holding {@code lock}, waiting up to {@code wait} for it. */
  private static <T> T locked(WeftLock lock, Duration wait, Callable<T> body) throws Exception {
    try (LockLease lease = lock.acquire(wait)) {
      return body.call();
    }
  }

  /** Runs {@code body} if {@code lock} is free, else returns {@code skipped}. */
  private static <T> T ifFree(WeftLock lock, T skipped, Callable<T> body) throws Exception {
    Optional<LockLease> lease = lock.tryAcquire();
    if (lease.isEmpty()) {
      return skipped;
    }
    try (LockLease held = lease.get()) {
      return body.call();
    }
  }

  @Override
  public void exclusive(String id) throws InterruptedException {
    unchecked(() -> locked(lock("job:" + id), Duration.ofSeconds(10), () -> {
      super.exclusive(id);
      return null;
    }));
  }

  @Override
  public String holding(String id, CountDownLatch entered, CountDownLatch leave)
      throws InterruptedException {
    return unchecked(
        () -> locked(lock("job:" + id), Duration.ZERO, () -> super.holding(id, entered, leave)));
  }

  @Override
  public void leased(String id, CountDownLatch entered, CountDownLatch leave)
      throws InterruptedException {
    WeftLock lock = Weft.global().lock("lease:" + id, LockOptions.defaults().lease(Duration.ofSeconds(5)));
    unchecked(() -> locked(lock, Duration.ZERO, () -> {
      super.leased(id, entered, leave);
      return null;
    }));
  }

  @Override
  public String now(String id) {
    return unchecked(() -> locked(lock("job:" + id), Duration.ZERO, () -> super.now(id)));
  }

  @Override
  public String skippedValue(String id) {
    return unchecked(() -> ifFree(lock("job:" + id), null, () -> super.skippedValue(id)));
  }

  @Override
  public Optional<String> skippedOptional(String id) {
    return unchecked(
        () -> ifFree(lock("job:" + id), Optional.empty(), () -> super.skippedOptional(id)));
  }

  @Override
  public void skippedVoid(String id) {
    unchecked(() -> ifFree(lock("job:" + id), null, () -> {
      super.skippedVoid(id);
      return null;
    }));
  }

  @Override
  public CompletableFuture<String> skippedFuture(String id) {
    Optional<LockLease> lease = lock("job:" + id).tryAcquire();
    if (lease.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return holdUntilDone(lease.get(), () -> super.skippedFuture(id));
  }

  @Override
  public int skippedPrimitive(String id) {
    throw new UnsupportedOperationException(
        "a skipped int is an annotation mistake; tryAcquire() says whether the lock was taken");
  }

  @Override
  public Inside fenced(String id) {
    return unchecked(() -> locked(lock("fenced:" + id), Duration.ZERO, () -> super.fenced(id)));
  }

  @Override
  public Nested outer(String id, BooleanSupplier locked) {
    return unchecked(() -> locked(lock("re:" + id), Duration.ZERO, () -> super.outer(id, locked)));
  }

  @Override
  public Inside inner(String id) {
    return unchecked(() -> locked(lock("re:" + id), Duration.ZERO, () -> super.inner(id)));
  }

  @Override
  public Inside outerThatLapses(String id, Runnable meanwhile) {
    WeftLock lock = Weft.global().lock(
        "lapse:" + id, LockOptions.defaults().lease(Duration.ofMillis(300)).autoRenew(false));
    return unchecked(() -> locked(lock, Duration.ZERO, () -> super.outerThatLapses(id, meanwhile)));
  }

  @Override
  public Inside afterLapse(String id) {
    return unchecked(() -> locked(lock("lapse:" + id), Duration.ZERO, () -> super.afterLapse(id)));
  }

  @Override
  public void failing(String id) {
    unchecked(() -> locked(lock("job:" + id), Duration.ZERO, () -> {
      super.failing(id);
      return null;
    }));
  }

  @Override
  public Boolean nightly(String id) {
    WeftLock lock =
        Weft.global().lock("nightly:" + id, LockOptions.defaults().holdAtLeast(Duration.ofSeconds(1)));
    return unchecked(() -> ifFree(lock, null, () -> super.nightly(id)));
  }

  @Override
  public CompletableFuture<String> async(String id, CompletableFuture<String> result) {
    return holdUntilDone(lock("async:" + id).acquire(Duration.ZERO), () -> super.async(id, result));
  }

  /** Starts {@code work} holding {@code lease}, which is released when its future completes. */
  private static CompletableFuture<String> holdUntilDone(
      LockLease lease, Callable<CompletableFuture<String>> work) {
    CompletableFuture<String> future;
    try {
      future = work.call();
    } catch (Error e) {
      lease.close();
      throw e;
    } catch (Exception e) {
      lease.close();
      throw ProgrammaticJobs.<RuntimeException>rethrow(e);
    }
    lease.releaseWhenComplete(future);
    return future;
  }

  /** Calls {@code body}; whatever it throws, checked or not, reaches the caller unchanged. */
  private static <T> T unchecked(Callable<T> body) {
    try {
      return body.call();
    } catch (Exception e) {
      throw ProgrammaticJobs.<RuntimeException>rethrow(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrow(Exception e) throws E {
    throw (E) e;
  }
}
