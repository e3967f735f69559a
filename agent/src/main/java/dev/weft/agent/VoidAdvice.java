package dev.weft.agent;

import dev.weft.weaving.CallScope;
import dev.weft.weaving.MethodPlan;
import dev.weft.weaving.Woven;
import net.bytebuddy.asm.Advice;

/**
 * Advice for Weft-annotated {@code void} methods (typically {@code @Invalidate}, or a job under
 * {@code @DistributedLock}). Like {@link ValueAdvice} without a return value: the plan runs its
 * steps before and after the body, and the body is skipped when the plan says so (the lock of a
 * {@code onLocked = SKIP} method is taken).
 * A {@code @Cached} or {@code @WriteThrough} on a {@code void} method makes the plan throw its
 * configuration error at the first call, as under AspectJ.
 */
public final class VoidAdvice {

  private VoidAdvice() {}

  /**
   * Runs the plan's steps before the body.
   *
   * @return {@code true} to skip the original body (a call skipped because its lock is taken)
   */
  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
  public static boolean enter(
      @Advice.Origin Class<?> owner,
      @Advice.Origin("#m#d") String method,
      @Advice.This(optional = true) Object self,
      @Advice.AllArguments Object[] args,
      @Advice.Local("weftPlan") MethodPlan plan,
      @Advice.Local("weftScope") CallScope scope) {
    plan = Woven.plan(owner, method);
    scope = plan.enter(self, args);
    return scope.skip();
  }

  /** Runs the plan's steps after the body. */
  @Advice.OnMethodExit(onThrowable = Throwable.class)
  public static void exit(
      @Advice.Local("weftPlan") MethodPlan plan,
      @Advice.Local("weftScope") CallScope scope,
      @Advice.Thrown Throwable thrown) {
    plan.exit(scope, null, thrown);
  }
}
