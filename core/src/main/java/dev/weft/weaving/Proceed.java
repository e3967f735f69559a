package dev.weft.weaving;

/**
 * Runs the original body of a woven method. Adapters pass it to {@link MethodPlan#around}; for
 * AspectJ it is {@code joinPoint::proceed}.
 */
@FunctionalInterface
public interface Proceed {

  /**
   * @return the method's result, boxed; {@code null} for {@code void}
   * @throws Throwable whatever the method throws, unchanged
   */
  Object proceed() throws Throwable;
}
