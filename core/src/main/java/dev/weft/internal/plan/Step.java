package dev.weft.internal.plan;

import java.util.concurrent.CompletionStage;

/**
 * One pattern's part in running a woven method ({@code @Counted}, {@code @RateLimited},
 * {@code @DistributedLock}, {@code @Invalidate}, {@code @Cached}, {@code @CachedBulk},
 * {@code @WriteThrough}): a hook before the body and a hook after it. A method's plan is an
 * ordered list of steps ({@link Steps}); the first step is the outermost.
 *
 * <h2>Design</h2>
 *
 * <p><b>Before and after, not around.</b> An around contract ({@code around(call, next)}) keeps
 * each step's state on the stack, but the agent's advice is inlined into the woven method in two
 * halves and cannot hand the body to a lambda; a before/after pair serves both it and AspectJ.
 *
 * <p><b>Per-call state belongs to the step.</b> {@link #before} returns what the step must know
 * after the body (a lock's hold, a cache lookup's outcome), or {@code null}; the plan keeps it in
 * the call's {@link Invocation}, in a slot of that step's, and hands it back to {@link #after}.
 * The call object is the same one allocation per call that a scope always was; no step adds one.
 *
 * <p><b>Ending a call.</b> A step whose {@link #before} knows the call's result (a cache hit, a
 * call skipped because its lock is taken) says so with {@link Invocation#end}: the body and every
 * later step are skipped, and the earlier steps' {@link #after} see that result as returned.
 *
 * <p><b>Onion order.</b> {@link #after} runs in reverse order, innermost first, each given what
 * the inner steps made of the result; what one throws replaces the outcome for the steps outside
 * it. A step whose {@link #before} throws has the earlier steps' {@link #after} run with that
 * failure. For a method returning a future, every {@link #after} runs when the future completes,
 * in the same order, given its value or failure ({@link #handOff} runs first, on the calling
 * thread).
 */
public interface Step {

  /**
   * Runs before the body.
   *
   * @param call the call, not {@code null}
   * @return this call's state for {@link #after}, or {@code null}
   * @throws RuntimeException to refuse the call (a denied rate limit, a lock that stays taken)
   */
  Object before(Invocation call);

  /**
   * Runs after the body, or after the step that ended the call; not run for the step that ended
   * it, nor for steps after it.
   *
   * @param call the call, not {@code null}
   * @param state what this step's {@link #before} returned
   * @param result what the inner steps made of the body's result; for a future, its value
   * @param thrown what the body or an inner step threw (for a future, its failure), or {@code null}
   * @return the result to hand outwards (ignored when {@code thrown} is set, and for a future)
   */
  Object after(Invocation call, Object state, Object result, Throwable thrown);

  /**
   * For a method returning a future, called on the calling thread when the body returned it,
   * before any {@link #after}, which waits for the future: the step's part on this thread ends.
   *
   * @param call the call, not {@code null}
   * @param state what this step's {@link #before} returned
   * @param future the body's future, not {@code null}
   */
  default void handOff(Invocation call, Object state, CompletionStage<?> future) {}

  /** @return whether {@link #before} returns a state, so that the plan keeps a slot for it */
  default boolean keepsState() {
    return false;
  }
}
