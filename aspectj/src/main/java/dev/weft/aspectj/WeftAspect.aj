package dev.weft.aspectj;

import dev.weft.weaving.MethodPlan;
import dev.weft.weaving.Woven;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * Hands every execution of a Weft-annotated method to weft-core. All behaviour lives in core's
 * {@link MethodPlan}; this aspect only translates the join point, so compile-time weaving,
 * load-time weaving and the Weft agent behave the same.
 *
 * <p>The pointcut is {@code execution}, not {@code call}: the woven code is the method itself, so
 * self-invocation ({@code this.find(id)}) and calls from unwoven code are intercepted too.
 *
 * <h2>Why native syntax, one advice per parameter count</h2>
 *
 * Each advice is the agent's shape in AspectJ terms: {@link MethodPlan#enter} before the body,
 * {@link MethodPlan#exit} after it, the body skipped when the plan says so (a cache hit). It binds
 * the receiver and the arguments itself ({@code this(self) && args(a0, a1)}; an {@code Object}
 * formal also takes a primitive argument, boxed) and finds the plan by
 * {@code thisJoinPointStaticPart}, a constant of the woven class, so a call creates no
 * {@code JoinPoint}. An annotation-style {@code @Around} needs a {@code ProceedingJoinPoint},
 * which AspectJ builds at every call, with an argument array, a closure and its state array, and,
 * since AspectJ 1.9.21, a {@code ThreadLocal} of its own (a shared atomic counter is incremented
 * to make it): about 200 bytes per call, more than everything else on a near-cache hit
 * (docs/benchmarks.md, per-call overhead by weaving mode). Methods of more than
 * {@value #MOST_BOUND} parameters, which this aspect cannot bind, go to
 * {@link WeftAspectManyParameters}, which takes that cost. Static methods have no receiver to
 * bind, so they have advice of their own.
 *
 * <p>An application rarely has methods of every shape, so most advice match nothing in its build;
 * each advice suppresses ajc's {@code adviceDidNotMatch} warning, which would otherwise print ten
 * warnings in every build that weaves with this aspect library.
 */
public aspect WeftAspect {

  /** The most parameters a method may have for this aspect to weave it; more go elsewhere. */
  static final int MOST_BOUND = 4;

  private static final Object[] NONE = {};

  /** A method carrying any Weft annotation. */
  pointcut woven():
      execution(@dev.weft.annotation.Cached * *(..))
          || execution(@dev.weft.annotation.CachedBulk * *(..))
          || execution(@dev.weft.annotation.WriteThrough * *(..))
          || execution(@dev.weft.annotation.Invalidate * *(..))
          || execution(@dev.weft.annotation.Invalidate.List * *(..))
          || execution(@dev.weft.annotation.RateLimited * *(..))
          || execution(@dev.weft.annotation.RateLimited.List * *(..))
          || execution(@dev.weft.annotation.DistributedLock * *(..))
          || execution(@dev.weft.annotation.Counted * *(..))
          || execution(@dev.weft.annotation.Counted.List * *(..));

  pointcut instances(Object self): woven() && this(self);

  pointcut statics(): woven() && execution(static * *(..));

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object self): instances(self) && args() {
    MethodPlan plan = plan(thisJoinPointStaticPart);
    Object[] args = NONE;
    Object scope = plan.enter(self, args);
    if (plan.skip(scope)) {
      return plan.exit(scope, null, null);
    }
    Object returned;
    try {
      returned = proceed(self);
    } catch (Throwable t) {
      throw failed(plan, scope, t);
    }
    return plan.exit(scope, returned, null);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object self, Object a0): instances(self) && args(a0) {
    MethodPlan plan = plan(thisJoinPointStaticPart);
    Object[] args = new Object[] {a0};
    Object scope = plan.enter(self, args);
    if (plan.skip(scope)) {
      return plan.exit(scope, null, null);
    }
    Object[] run = plan.args(scope, args);
    Object returned;
    try {
      returned = proceed(self, run[0]);
    } catch (Throwable t) {
      throw failed(plan, scope, t);
    }
    return plan.exit(scope, returned, null);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object self, Object a0, Object a1): instances(self) && args(a0, a1) {
    MethodPlan plan = plan(thisJoinPointStaticPart);
    Object[] args = new Object[] {a0, a1};
    Object scope = plan.enter(self, args);
    if (plan.skip(scope)) {
      return plan.exit(scope, null, null);
    }
    Object[] run = plan.args(scope, args);
    Object returned;
    try {
      returned = proceed(self, run[0], run[1]);
    } catch (Throwable t) {
      throw failed(plan, scope, t);
    }
    return plan.exit(scope, returned, null);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object self, Object a0, Object a1, Object a2): instances(self) && args(a0, a1, a2) {
    MethodPlan plan = plan(thisJoinPointStaticPart);
    Object[] args = new Object[] {a0, a1, a2};
    Object scope = plan.enter(self, args);
    if (plan.skip(scope)) {
      return plan.exit(scope, null, null);
    }
    Object[] run = plan.args(scope, args);
    Object returned;
    try {
      returned = proceed(self, run[0], run[1], run[2]);
    } catch (Throwable t) {
      throw failed(plan, scope, t);
    }
    return plan.exit(scope, returned, null);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object self, Object a0, Object a1, Object a2, Object a3): instances(self) && args(a0, a1, a2, a3) {
    MethodPlan plan = plan(thisJoinPointStaticPart);
    Object[] args = new Object[] {a0, a1, a2, a3};
    Object scope = plan.enter(self, args);
    if (plan.skip(scope)) {
      return plan.exit(scope, null, null);
    }
    Object[] run = plan.args(scope, args);
    Object returned;
    try {
      returned = proceed(self, run[0], run[1], run[2], run[3]);
    } catch (Throwable t) {
      throw failed(plan, scope, t);
    }
    return plan.exit(scope, returned, null);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(): statics() && args() {
    MethodPlan plan = plan(thisJoinPointStaticPart);
    Object[] args = NONE;
    Object scope = plan.enter(null, args);
    if (plan.skip(scope)) {
      return plan.exit(scope, null, null);
    }
    Object returned;
    try {
      returned = proceed();
    } catch (Throwable t) {
      throw failed(plan, scope, t);
    }
    return plan.exit(scope, returned, null);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object a0): statics() && args(a0) {
    MethodPlan plan = plan(thisJoinPointStaticPart);
    Object[] args = new Object[] {a0};
    Object scope = plan.enter(null, args);
    if (plan.skip(scope)) {
      return plan.exit(scope, null, null);
    }
    Object[] run = plan.args(scope, args);
    Object returned;
    try {
      returned = proceed(run[0]);
    } catch (Throwable t) {
      throw failed(plan, scope, t);
    }
    return plan.exit(scope, returned, null);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object a0, Object a1): statics() && args(a0, a1) {
    MethodPlan plan = plan(thisJoinPointStaticPart);
    Object[] args = new Object[] {a0, a1};
    Object scope = plan.enter(null, args);
    if (plan.skip(scope)) {
      return plan.exit(scope, null, null);
    }
    Object[] run = plan.args(scope, args);
    Object returned;
    try {
      returned = proceed(run[0], run[1]);
    } catch (Throwable t) {
      throw failed(plan, scope, t);
    }
    return plan.exit(scope, returned, null);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object a0, Object a1, Object a2): statics() && args(a0, a1, a2) {
    MethodPlan plan = plan(thisJoinPointStaticPart);
    Object[] args = new Object[] {a0, a1, a2};
    Object scope = plan.enter(null, args);
    if (plan.skip(scope)) {
      return plan.exit(scope, null, null);
    }
    Object[] run = plan.args(scope, args);
    Object returned;
    try {
      returned = proceed(run[0], run[1], run[2]);
    } catch (Throwable t) {
      throw failed(plan, scope, t);
    }
    return plan.exit(scope, returned, null);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object a0, Object a1, Object a2, Object a3): statics() && args(a0, a1, a2, a3) {
    MethodPlan plan = plan(thisJoinPointStaticPart);
    Object[] args = new Object[] {a0, a1, a2, a3};
    Object scope = plan.enter(null, args);
    if (plan.skip(scope)) {
      return plan.exit(scope, null, null);
    }
    Object[] run = plan.args(scope, args);
    Object returned;
    try {
      returned = proceed(run[0], run[1], run[2], run[3]);
    } catch (Throwable t) {
      throw failed(plan, scope, t);
    }
    return plan.exit(scope, returned, null);
  }

  /**
   * The join point's plan: remembered per join point ({@link Woven#remembered}, one array read),
   * else found by its {@code Method}, which takes a class lookup and a map lookup (about 15 ns of
   * a near hit's 55, docs/benchmarks.md).
   */
  private static MethodPlan plan(JoinPoint.StaticPart joinPoint) {
    MethodPlan plan = Woven.remembered(joinPoint);
    if (plan != null) {
      return plan;
    }
    return Woven.remember(
        joinPoint, Woven.plan(((MethodSignature) joinPoint.getSignature()).getMethod()));
  }

  /** Hands the body's exception to the plan and returns it to be thrown, unchanged. */
  private static RuntimeException failed(MethodPlan plan, Object scope, Throwable thrown) {
    plan.exit(scope, null, thrown);
    return WeftAspect.<RuntimeException>sneaky(thrown);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable thrown) throws T {
    throw (T) thrown;
  }
}
