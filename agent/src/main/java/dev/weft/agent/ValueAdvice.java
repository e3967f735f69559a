package dev.weft.agent;

import dev.weft.weaving.CallScope;
import dev.weft.weaving.MethodPlan;
import dev.weft.weaving.Woven;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice inlined into every non-void Weft-annotated method. Static, stateless and referring only
 * to weft-core's weaving SPI, so it works in any class loader that sees weft-core.
 *
 * <p>The enter half asks core's {@link MethodPlan} whether the call's result is already known (a
 * cache hit); if so the original body is skipped and the exit half returns that value. Otherwise
 * the body runs and the exit half hands its result or exception back to the plan. The method is
 * identified by constants (its class and JVM descriptor), so no reflection happens per call.
 *
 * <p>Exceptions from the plan are not suppressed: a misconfigured annotation must reach the caller
 * at the first call, as it does under AspectJ; caching failures are already handled inside core.
 */
public final class ValueAdvice {

  private ValueAdvice() {}

  /**
   * @return {@code true} to skip the original body
   */
  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
  public static boolean enter(
      @Advice.Origin Class<?> owner,
      @Advice.Origin("#m#d") String method,
      @Advice.This(optional = true) Object self,
      @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] args,
      @Advice.Local("weftPlan") MethodPlan plan,
      @Advice.Local("weftScope") CallScope scope) {
    plan = Woven.plan(owner, method);
    scope = plan.enter(self, args);
    if (scope.skip()) {
      return true;
    }
    // A bulk method runs with only the ids that missed; for every other method these are the same.
    args = scope.args(args);
    return false;
  }

  /** Hands the outcome to the plan and returns what it says the call returns. */
  @Advice.OnMethodExit(onThrowable = Throwable.class)
  public static void exit(
      @Advice.Local("weftPlan") MethodPlan plan,
      @Advice.Local("weftScope") CallScope scope,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    returned = plan.exit(scope, returned, thrown);
  }
}
