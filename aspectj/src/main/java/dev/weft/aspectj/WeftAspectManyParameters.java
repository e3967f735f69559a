package dev.weft.aspectj;

import dev.weft.weaving.Woven;
import java.lang.reflect.Method;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * {@code WeftAspect} (WeftAspect.aj) for methods of more than {@code WeftAspect.MOST_BOUND} (4)
 * parameters, which it cannot bind one by one: the same hand-over to weft-core, through AspectJ's
 * {@code ProceedingJoinPoint}, which costs a few allocations per call that the bound advice of
 * {@code WeftAspect} avoids.
 */
@Aspect
public class WeftAspectManyParameters {

  /**
   * Around advice for methods carrying any Weft annotation and at least
   * {@code WeftAspect.MOST_BOUND} + 1 (5) parameters.
   *
   * @param joinPoint the method execution
   * @return the method's (possibly cached) result
   * @throws Throwable whatever the method throws, unchanged
   */
  @SuppressAjWarnings("adviceDidNotMatch")
  @Around(
      "(execution(@dev.weft.annotation.Cached * *(..))"
          + " || execution(@dev.weft.annotation.CachedBulk * *(..))"
          + " || execution(@dev.weft.annotation.WriteThrough * *(..))"
          + " || execution(@dev.weft.annotation.Invalidate * *(..))"
          + " || execution(@dev.weft.annotation.Invalidate.List * *(..))"
          + " || execution(@dev.weft.annotation.RateLimited * *(..))"
          + " || execution(@dev.weft.annotation.RateLimited.List * *(..))"
          + " || execution(@dev.weft.annotation.DistributedLock * *(..))"
          + " || execution(@dev.weft.annotation.Counted * *(..))"
          + " || execution(@dev.weft.annotation.Counted.List * *(..)))"
          + " && execution(* *(*, *, *, *, *, ..))")
  public Object weave(ProceedingJoinPoint joinPoint) throws Throwable {
    Method method = ((MethodSignature) joinPoint.getStaticPart().getSignature()).getMethod();
    return Woven.plan(method).around(joinPoint.getThis(), joinPoint.getArgs(), joinPoint::proceed);
  }
}
