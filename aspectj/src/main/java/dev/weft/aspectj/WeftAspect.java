package dev.weft.aspectj;

import dev.weft.weaving.Woven;
import java.lang.reflect.Method;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * Hands every execution of a Weft-annotated method to weft-core. All behaviour lives in core's
 * {@link dev.weft.weaving.MethodPlan}; this aspect only translates the join point, so compile-time
 * weaving, load-time weaving and the Weft agent behave the same.
 *
 * <p>The pointcut is {@code execution}, not {@code call}: the woven code is the method itself, so
 * self-invocation ({@code this.find(id)}) and calls from unwoven code are intercepted too.
 */
@Aspect
public class WeftAspect {

  /**
   * Around advice for methods carrying any Weft annotation: {@code @Cached},
   * {@code @CachedBulk}, {@code @WriteThrough}, {@code @Invalidate}, {@code @RateLimited}.
   *
   * @param joinPoint the method execution
   * @return the method's (possibly cached) result
   * @throws Throwable whatever the method throws, unchanged
   */
  @Around(
      "execution(@dev.weft.annotation.Cached * *(..))"
          + " || execution(@dev.weft.annotation.CachedBulk * *(..))"
          + " || execution(@dev.weft.annotation.WriteThrough * *(..))"
          + " || execution(@dev.weft.annotation.Invalidate * *(..))"
          + " || execution(@dev.weft.annotation.Invalidate.List * *(..))"
          + " || execution(@dev.weft.annotation.RateLimited * *(..))"
          + " || execution(@dev.weft.annotation.RateLimited.List * *(..))"
          + " || execution(@dev.weft.annotation.DistributedLock * *(..))")
  public Object weave(ProceedingJoinPoint joinPoint) throws Throwable {
    Method method = ((MethodSignature) joinPoint.getStaticPart().getSignature()).getMethod();
    return Woven.plan(method).around(joinPoint.getThis(), joinPoint.getArgs(), joinPoint::proceed);
  }
}
