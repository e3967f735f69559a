package dev.weft.lock;

import dev.weft.Weft;
import dev.weft.exception.LockNotAcquiredException;
import java.time.Duration;
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
public interface WeftLock {

  /** @return the key, as given */
  String key();

  /** @return the options this lock is taken with */
  LockOptions options();

  /**
   * Takes the lock if it is free, without waiting.
   *
   * @return the lease, or empty if another owner holds the lock
   * @throws LockNotAcquiredException if Redis cannot be reached (locks fail closed), or the
   *     thread is interrupted
   */
  Optional<LockLease> tryAcquire();

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
  Optional<LockLease> tryAcquire(Duration wait);

  /**
   * As {@link #tryAcquire(Duration)}, but a lock still taken after {@code wait} is an exception.
   *
   * @param wait the longest wait, zero or positive
   * @return the lease, never {@code null}
   * @throws LockNotAcquiredException if the lock was still taken after {@code wait}, Redis cannot
   *     be reached, or the thread was interrupted
   */
  LockLease acquire(Duration wait);
}
