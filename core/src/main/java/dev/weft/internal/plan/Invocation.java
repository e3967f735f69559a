package dev.weft.internal.plan;

import dev.weft.Weft;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.cache.CacheRuntime;
import dev.weft.internal.lock.LockEngine;
import java.util.function.Supplier;

/**
 * One call of a woven method while its {@link Steps} run: the receiver and arguments, the
 * runtime it runs on, each step's state, and, once a step has ended the call, its result. Made
 * once per call (a near hit of a method with nothing before its lookup makes none).
 */
public final class Invocation {

  private final Object target;
  private final Object[] args;
  private final boolean refresh;
  private final Supplier<Weft> runtime;
  private Weft weft;
  // Steps' states: two slots cover every plan Weft's annotations make (a lock and a lookup)
  // without an array; more stateful steps spill into one.
  private Object state0;
  private Object state1;
  private Object[] more;
  private boolean ended;
  private Object result;
  private Object[] bodyArgs;
  // How many steps ran before the body: the steps whose after runs
  int reached;

  Invocation(Object target, Object[] args, boolean refresh, Supplier<Weft> runtime) {
    this.target = target;
    this.args = args;
    this.refresh = refresh;
    this.runtime = runtime;
    this.bodyArgs = args;
  }

  /** @return the receiver, {@code null} for a static method */
  public Object target() {
    return target;
  }

  /** @return the arguments as the caller passed them, not {@code null} */
  public Object[] args() {
    return args;
  }

  /**
   * @return whether this is a background refresh's re-invocation of the method: its cache lookup
   *     is skipped and it is not counted (see {@code MethodPlan}, Refreshes)
   */
  public boolean refresh() {
    return refresh;
  }

  /**
   * The runtime this call runs on, looked up at its first use in the call, so that a call that
   * needs none (a {@code @Counted} method whose counter fails open) never fails for want of one.
   *
   * @return the runtime, not {@code null}
   */
  public Weft weft() {
    Weft w = weft;
    if (w == null) {
      w = runtime.get();
      weft = w;
    }
    return w;
  }

  /** @return the cache side of {@link #weft()} */
  public CacheRuntime cache() {
    return WeftAccess.cache(weft());
  }

  /** @return the locks of {@link #weft()} */
  public LockEngine locks() {
    return WeftAccess.locks(weft());
  }

  /**
   * Ends the call before its body: the body and the steps after the caller are skipped.
   *
   * @param value what the call returns, shaped as the method returns it
   */
  public void end(Object value) {
    ended = true;
    result = value;
  }

  /** @return whether a step ended the call */
  public boolean ended() {
    return ended;
  }

  /** @return the result a step ended the call with */
  Object result() {
    return result;
  }

  /**
   * Runs the body with other arguments than the caller's (a bulk method: only the ids that
   * missed).
   *
   * @param replaced as many arguments as the method declares
   */
  public void runWith(Object[] replaced) {
    bodyArgs = replaced;
  }

  /** @return the arguments the body runs with */
  public Object[] bodyArgs() {
    return bodyArgs;
  }

  Object state(int slot) {
    return switch (slot) {
      case 0 -> state0;
      case 1 -> state1;
      default -> more[slot - 2];
    };
  }

  void state(int slot, Object state, int slots) {
    switch (slot) {
      case 0 -> state0 = state;
      case 1 -> state1 = state;
      default -> {
        if (more == null) {
          more = new Object[slots - 2];
        }
        more[slot - 2] = state;
      }
    }
  }
}
