package dev.weft.agent;

import dev.weft.weaving.MethodPlan;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The code ByteBuddy inlines into every Weft-annotated method: weft-core's {@link MethodPlan}
 * around the body, as AspectJ's around advice does under compile-time weaving. In Java terms, a
 * method {@code R m(A a, B b)} becomes:
 *
 * <pre>{@code
 * MethodPlan plan = <the method's plan, a constant: see PlanConstant>;
 * Object scope = plan.enter(this, new Object[] {a, b});  // null for a static method; may throw
 * if (plan.skip(scope)) return (R) plan.exit(scope, null, null);  // a cache hit, a skipped lock
 * <a bulk method's parameters reassigned to the ids that missed>
 * R returned;
 * try {
 *   returned = <the original body>;
 * } catch (Throwable t) {
 *   plan.exit(scope, null, t);                    // what it throws replaces t
 *   throw t;
 * }
 * return (R) plan.exit(scope, returned, null);
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * <p><b>Inlined, so these are templates.</b> ByteBuddy copies the two methods' bytecode into the
 * woven method, reading this class as a class file; nothing here ever runs as itself. So the class
 * is static, stateless and refers to nothing but weft-core's public weaving SPI, which the woven
 * class sees through its own class loader. The enter half does not suppress exceptions: a refused
 * rate limit or a misconfigured annotation must reach the caller, as under AspectJ.
 *
 * <p><b>No allocation beyond the argument array.</b> ByteBuddy builds {@link Advice.AllArguments}
 * afresh at each read, so it is read once, into a local; it is written back (every parameter
 * reassigned) only when the plan hands the body other arguments, which only a bulk method does.
 * The return value is boxed for {@link MethodPlan#exit} and unboxed from what it returns, as under
 * AspectJ. A skipped body leaves its return value at the type's default, a boxed zero for a
 * primitive; the plan is handed {@code null} instead, as for an object.
 *
 * <p><b>Every return reaches the exit.</b> ByteBuddy turns each return of the body into a jump to
 * the exit half. A return may leave other values under the returned one on the operand stack
 * (bytecode that javac does not write but Kotlin, cglib, Javassist or an agent such as JaCoCo
 * may): ByteBuddy drains the stack before the jump, so the exit sees one consistent frame.
 */
final class WovenAdvice {

  private WovenAdvice() {}

  /**
   * The half before the body.
   *
   * @return {@code true} to skip the body (its result is known: {@link MethodPlan#skip})
   */
  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
  static boolean enter(
      @PlanConstant.Bind MethodPlan constant,
      @Advice.This(optional = true) Object self,
      @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] args,
      @Advice.Local("weftPlan") MethodPlan plan,
      @Advice.Local("weftScope") Object scope) {
    plan = constant;
    Object[] given = args;
    scope = plan.enter(self, given);
    if (plan.skip(scope)) {
      return true;
    }
    Object[] body = plan.args(scope, given);
    if (body != given) {
      args = body;
    }
    return false;
  }

  /**
   * The half after the body, or in its place when it was skipped. It reads no argument, so the
   * arguments are not copied aside for it ({@code backupArguments = false}).
   */
  @Advice.OnMethodExit(onThrowable = Throwable.class, backupArguments = false)
  static void exit(
      @Advice.Enter boolean skipped,
      @Advice.Local("weftPlan") MethodPlan plan,
      @Advice.Local("weftScope") Object scope,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    if (thrown != null) {
      plan.exit(scope, null, thrown);
    } else {
      returned = plan.exit(scope, skipped ? null : returned, null);
    }
  }
}
