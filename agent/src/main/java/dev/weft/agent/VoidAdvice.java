package dev.weft.agent;

import dev.weft.weaving.Woven;
import net.bytebuddy.asm.Advice;

/**
 * Advice for Weft-annotated {@code void} methods. {@code @Cached} has nothing to cache there, so
 * the plan throws its configuration error at the first call, as it does under AspectJ.
 */
public final class VoidAdvice {

  private VoidAdvice() {}

  /** Lets the plan check the call before the body runs. */
  @Advice.OnMethodEnter
  public static void enter(
      @Advice.Origin Class<?> owner,
      @Advice.Origin("#m#d") String method,
      @Advice.This(optional = true) Object self,
      @Advice.AllArguments Object[] args) {
    Woven.plan(owner, method).enter(self, args);
  }
}
