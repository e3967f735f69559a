package dev.weft.annotation.spi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Not API: the Weft runtime's side of {@link dev.weft.annotation.LockContext}. This package is
 * exported to the {@code dev.weft.core} module only; applications must not use it, and it may
 * change in any release.
 *
 * <h2>Design</h2>
 *
 * <p>{@code LockContext} sits in the dependency-free annotations jar so that code woven by the
 * agent can call it with nothing else on its compile class path, but the locks are held by the
 * runtime in weft-core. Instead of the annotations looking the runtime up (a registry, a service
 * loader, reflection), the runtime writes what it holds here: each thread's stack of held locks
 * lives in this class, and weft-core's lock engine pushes a lock when a thread acquires it and
 * takes it off when the thread stops holding it. {@code LockContext} reads the top of the stack.
 * So the binding needs nothing when no runtime is present (the stack stays empty), costs the lock
 * path what its own stack cost before, and holds for every copy of weft-core that links to this
 * class: the application's, or the agent's (whose jar carries this package under its own name, so
 * that the class the application calls and the one the agent's runtime writes to are one class).
 */
public final class HeldLocks {

  private static final ThreadLocal<Deque<Held>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

  private HeldLocks() {}

  /** One lock a thread holds, as the runtime sees it. */
  public interface Held {

    /**
     * @return the lock's fencing token
     * @throws IllegalStateException if the lock has none (Redlock)
     */
    long fencingToken();

    /** @return whether the lease is still known to be held */
    boolean isHeld();

    /** @return whether the lock was released or abandoned, so it no longer belongs on a stack */
    boolean ended();
  }

  /**
   * @return the current thread's stack of held locks, innermost first; the runtime pushes and
   *     removes its own entries, never {@code null}
   */
  public static Deque<Held> ofCurrentThread() {
    return STACK.get();
  }

  /**
   * @return the innermost lock of the current thread that has not ended, or {@code null}; ended
   *     ones found on the way are dropped
   */
  public static Held innermost() {
    for (Iterator<Held> it = STACK.get().iterator(); it.hasNext(); ) {
      Held held = it.next();
      if (!held.ended()) {
        return held;
      }
      it.remove();
    }
    return null;
  }
}
