package dev.weft;

import dev.weft.internal.lock.Hold;
import dev.weft.internal.lock.LockEngine;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A distributed lock on one key, without annotations: the programmatic counterpart of {@link
 * dev.weft.annotation.DistributedLock}, with the same guarantees. Get one from {@link
 * Weft#lock(String)}; it is a cheap handle (nothing is sent to Redis until an acquire).
 *
 * <pre>{@code
 * WeftLock lock = weft.lock("invoice:" + id);
 * try (LockLease lease = lock.acquire(Duration.ofSeconds(2))) {
 *   settle(id, lease.fencingToken());
 * }
 * }</pre>
 *
 * <p>Reentrant per thread: a thread that holds the lock and acquires it again gets it at once, if
 * its hold is still known to be held (or, past its known-held time, Redis confirms it still holds
 * the owner's token); the lock is released when every lease it got has been closed. Re-entering
 * a hold that was lost throws {@link LockNotAcquiredException} rather than taking the lock anew.
 * A lease dropped without being closed stops being renewed once it has been garbage collected
 * (with a WARN naming where it was acquired), and the lock expires at the end of its lease. Other threads of the same process
 * wait like other processes do. Waiting is not fair (no queue): when the lock is released, every
 * waiter is woken and one of them gets it.
 */
public final class WeftLock {

  private final LockEngine engine;
  private final String key;
  private final LockOptions options;

  WeftLock(LockEngine engine, String key, LockOptions options) {
    this.engine = engine;
    this.key = key;
    this.options = options;
  }

  /** @return the key, as given */
  public String key() {
    return key;
  }

  /** @return the options this lock is taken with */
  public LockOptions options() {
    return options;
  }

  /**
   * Takes the lock if it is free, without waiting.
   *
   * @return the lease, or empty if another owner holds the lock
   * @throws LockNotAcquiredException if Redis cannot be reached (locks fail closed), or the
   *     thread is interrupted
   */
  public Optional<LockLease> tryAcquire() {
    return tryAcquire(Duration.ZERO);
  }

  /**
   * Takes the lock, waiting up to {@code wait} for another owner to release it. Waiting sends no
   * command in a loop: the waiter wakes when the lock is released (or when the holder's lease
   * ends), with a bounded fallback poll.
   *
   * @param wait the longest wait, zero or positive
   * @return the lease, or empty if the lock was still taken after {@code wait}
   * @throws LockNotAcquiredException if Redis cannot be reached (locks fail closed), the thread
   *     was interrupted while waiting (its interrupt flag is set again), or this thread's hold of
   *     the lock, which the call would re-enter, was lost
   */
  public Optional<LockLease> tryAcquire(Duration wait) {
    Hold hold = engine.acquire(key, options, checked(wait), "WeftLock", true);
    return hold == null ? Optional.empty() : Optional.of(hold.lease());
  }

  /**
   * As {@link #tryAcquire(Duration)}, but a lock still taken after {@code wait} is an exception.
   *
   * @param wait the longest wait, zero or positive
   * @return the lease, never {@code null}
   * @throws LockNotAcquiredException if the lock was still taken after {@code wait}, Redis cannot
   *     be reached, or the thread was interrupted
   */
  public LockLease acquire(Duration wait) {
    return tryAcquire(wait)
        .orElseThrow(
            () ->
                new LockNotAcquiredException(
                    "WeftLock: the lock '" + key + "' is held by another owner; waited " + wait,
                    key,
                    wait,
                    null));
  }

  private static Duration checked(Duration wait) {
    Objects.requireNonNull(wait, "wait");
    if (wait.isNegative()) {
      throw new IllegalArgumentException("wait must not be negative, was " + wait);
    }
    return wait;
  }

  @Override
  public String toString() {
    return "WeftLock[" + key + ", " + options + "]";
  }
}
