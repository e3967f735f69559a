package dev.weft;

import dev.weft.internal.lock.Hold;

/**
 * The distributed lock the current thread holds, for code running inside a
 * {@link dev.weft.annotation.DistributedLock @DistributedLock} method (or inside a
 * {@link WeftLock} it acquired). With nested locks, the innermost one.
 *
 * <pre>{@code
 * @DistributedLock(key = "account:{id}")
 * public void post(long id, Entry entry) {
 *   ledger.append(id, entry, LockContext.currentFencingToken());   // ledger rejects older tokens
 * }
 * }</pre>
 */
public final class LockContext {

  private LockContext() {}

  /**
   * @return the fencing token of the innermost lock this thread holds; see {@link
   *     LockLease#fencingToken()}
   * @throws IllegalStateException if this thread holds no Weft lock, or it is a Redlock lock
   */
  public static long currentFencingToken() {
    Hold hold = Hold.innermost();
    if (hold == null) {
      throw new IllegalStateException(
          "LockContext.currentFencingToken() was called outside any @DistributedLock method or"
              + " WeftLock on this thread; call it inside the locked code");
    }
    return hold.fencingToken();
  }

  /**
   * @return whether this thread holds a Weft lock whose lease is still known to be held; {@code
   *     false} outside any lock, and once a renewal failed or the lease ran out
   */
  public static boolean isHeld() {
    Hold hold = Hold.innermost();
    return hold != null && hold.isHeld();
  }
}
