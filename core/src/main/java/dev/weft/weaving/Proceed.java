package dev.weft.weaving;

/**
 * Runs the original body of a woven method with the given arguments (the call's own, or, for a
 * bulk method, only the ids that missed). Adapters pass it to {@link MethodPlan#around}; for
 * AspectJ it is {@code joinPoint::proceed}.
 */
@FunctionalInterface
public interface Proceed {

  /**
   * @param args the arguments to run the body with, as many as the method declares
   * @return the method's result, boxed; {@code null} for {@code void}
   * @throws Throwable whatever the method throws, unchanged
   */
  Object proceed(Object[] args) throws Throwable;
}
