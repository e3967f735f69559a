package dev.weft.internal.lock;

import dev.weft.annotation.DistributedLock.OnLocked;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.lock.LockOptions;
import java.time.Duration;

/**
 * The {@code @DistributedLock} step of one method: renders the key, acquires (waiting as
 * annotated) and, when the lock stays taken, throws or tells the plan to skip the call.
 */
public final class LockStep {

  private final String method;
  private final KeyTemplate key;
  private final LockOptions options;
  private final Duration wait;
  private final OnLocked onLocked;
  private final boolean reentrant;
  private final String holder;

  /**
   * @param method the method as people read it
   * @param key the key template, or {@code null} for one lock per method
   * @param options lease, renewal, hold, Redlock
   * @param wait how long a call waits
   * @param onLocked what a call does when the lock stays taken
   * @param future whether the method returns a future (its lock is held until the future
   *     completes, so it never re-enters a lock of the calling thread)
   */
  public LockStep(
      String method, KeyTemplate key, LockOptions options, Duration wait, OnLocked onLocked,
      boolean future) {
    this.method = method;
    this.key = key;
    this.options = options;
    this.wait = wait;
    this.onLocked = onLocked;
    this.reentrant = !future;
    this.holder = "@DistributedLock on " + method;
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
