package dev.weft.annotation;

import dev.weft.annotation.spi.HeldLocks;

/**
 * The distributed lock the current thread holds, for code running inside a {@link
 * DistributedLock @DistributedLock} method (or inside a {@code dev.weft.lock.WeftLock} it
 * acquired). With nested locks, the innermost one.
 *
 * <pre>{@code
 * @DistributedLock(key = "account:{id}")
 * public void post(long id, Entry entry) {
 *   ledger.append(id, entry, LockContext.currentFencingToken());   // ledger rejects older tokens
 * }
 * }</pre>
 *
 * <p>It lives in weft-annotations, so an application run under the Weft agent compiles against
 * that jar alone. The Weft runtime (weft-core, or the agent's copy of it) records the locks each
 * thread holds where this class reads them; without a runtime no lock is ever held here.
 */
public final class LockContext {

  private LockContext() {}

  /**
   * @return the fencing token of the innermost lock this thread holds: a number that strictly
   *     increases for the lock's key across every process and holder (the same as the {@code
   *     LockLease}'s), positive
   * @throws IllegalStateException if this thread holds no Weft lock, or it is a Redlock lock
   */
  public static long currentFencingToken() {
    HeldLocks.Held held = HeldLocks.innermost();
    if (held == null) {
      throw new IllegalStateException(
          "LockContext.currentFencingToken() was called outside any @DistributedLock method or"
              + " WeftLock on this thread; call it inside the locked code");
    }
    return held.fencingToken();
  }

  /**
   * @return whether this thread holds a Weft lock whose lease is still known to be held; {@code
   *     false} outside any lock, and once a renewal failed or the lease ran out
   */
  public static boolean isHeld() {
    HeldLocks.Held held = HeldLocks.innermost();
    return held != null && held.isHeld();
  }
}
