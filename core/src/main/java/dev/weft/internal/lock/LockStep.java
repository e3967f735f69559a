package dev.weft.internal.lock;

import dev.weft.annotation.DistributedLock.OnLocked;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.internal.plan.Invocation;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.plan.Step;
import dev.weft.lock.LockOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code @DistributedLock} step of one method: renders the key, acquires (waiting as
 * annotated) and, when the lock stays taken, throws or tells the plan to skip the call.
 */
public final class LockStep implements Step {

  private final String method;
  private final KeyTemplate key;
  private final LockOptions options;
  private final Duration wait;
  private final OnLocked onLocked;
  private final boolean reentrant;
  private final String holder;
  private final Object skipValue;
  private final Duration refreshWait;

  /**
   * @param method the method as people read it
   * @param key the key template, or {@code null} for one lock per method
   * @param options lease, renewal, hold, Redlock
   * @param wait how long a call waits
   * @param onLocked what a call does when the lock stays taken
   * @param future whether the method returns a future (its lock is held until the future
   *     completes, so it never re-enters a lock of the calling thread)
   * @param skipValue what a call skipped by {@link OnLocked#SKIP} returns ({@code null}, an empty
   *     {@code Optional}; for a future, a new completed future of {@code null} at each skip)
   * @param refreshWait the shortest wait of a background refresh's call: the method's cache's
   *     {@code loadTimeout}, or {@code null} when it is not cached
   */
  public LockStep(
      String method, KeyTemplate key, LockOptions options, Duration wait, OnLocked onLocked,
      boolean future, Object skipValue, Duration refreshWait) {
    this.method = method;
    this.key = key;
    this.options = options;
    this.wait = wait;
    this.onLocked = onLocked;
    this.reentrant = !future;
    this.holder = "@DistributedLock on " + method;
    this.skipValue = skipValue;
    this.refreshWait = refreshWait;
  }

  /**
   * Acquires the call's lock. A background refresh waits for it at least as long as its load lock
   * lasts: the call whose stale hit started the refresh holds this lock until it returns. A lock
   * that stays taken throws, or, with {@link OnLocked#SKIP}, ends the call.
   *
   * @return the hold, or {@code null} when the call is skipped
   */
  @Override
  public Object before(Invocation call) {
    Hold held = call.refresh() && refreshWait != null
        ? acquireWaitingAtLeast(call.locks(), call.args(), refreshWait)
        : acquire(call.locks(), call.args());
    if (held == null) {
      call.end(skipValue instanceof CompletableFuture<?>
          ? CompletableFuture.completedFuture(null) : skipValue);
    }
    return held;
  }

  /** The call's thread moves on; the lock stays held until the future completes. */
  @Override
  public void handOff(Invocation call, Object state, CompletionStage<?> future) {
    ((Hold) state).handTo(future);
  }

  /**
   * Releases the lock, whatever the call did.
   *
   * @return {@code result}
   */
  @Override
  public Object after(Invocation call, Object state, Object result, Throwable thrown) {
    ((Hold) state).release();
    return result;
  }

  @Override
  public boolean keepsState() {
    return true;
  }

  /**
   * @param engine the runtime's locks
   * @param args the call's arguments
   * @return the hold, or {@code null} if the call must be skipped ({@link OnLocked#SKIP})
   * @throws LockNotAcquiredException if the lock stays taken ({@link OnLocked#THROW}), Redis cannot
   *     be reached, or the thread was interrupted
   */
  public Hold acquire(LockEngine engine, Object[] args) {
    return acquire(engine, args, wait);
  }

  /**
   * As {@link #acquire(LockEngine, Object[])}, waiting at least {@code atLeast}.
   *
   * @param engine the runtime's locks
   * @param args the call's arguments
   * @param atLeast the shortest wait, whatever the annotation's {@code waitTime}
   * @return the hold, or {@code null} if the call must be skipped ({@link OnLocked#SKIP})
   */
  public Hold acquireWaitingAtLeast(LockEngine engine, Object[] args, Duration atLeast) {
    return acquire(engine, args, atLeast.compareTo(wait) > 0 ? atLeast : wait);
  }

  private Hold acquire(LockEngine engine, Object[] args, Duration wait) {
    String userKey = KeyTemplate.renderOr(key, args, method);
    Hold hold = engine.acquire(userKey, options, wait, holder, reentrant);
    if (hold != null || onLocked == OnLocked.SKIP) {
      return hold;
    }
    throw new LockNotAcquiredException(
        holder + ": the lock '" + userKey + "' is held by another owner; waited " + wait
            + (wait.isZero() ? " (waitTime is 0: set waitTime to wait for it, or onLocked = SKIP"
                + " to skip the call)" : ""),
        userKey, wait, null);
  }

  @Override
  public String toString() {
    return holder;
  }
}
