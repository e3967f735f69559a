package dev.weft.internal.plan;

import dev.weft.Weft;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A woven method's steps, in order, outermost first, and how they run around the body: every
 * {@link Step#before} in order until one ends the call, then, after the body, every {@link
 * Step#after} of the steps that ran, in reverse order (see {@link Step}, Onion order).
 */
public final class Steps {

  private static final Logger log = LoggerFactory.getLogger(Steps.class);

  private final Step[] steps;
  // The slot of each step's state in the call, -1 for a step that keeps none
  private final int[] slots;
  private final int slotCount;
  private final boolean future;
  private final Supplier<Weft> runtime;
  private final String method;

  /**
   * @param method the method as people read it, for messages
   * @param steps the steps, outermost first
   * @param future whether the method returns a future: its steps' {@link Step#after} wait for it
   * @param runtime where each call finds its runtime (looked up at the call's first need)
   */
  public Steps(String method, List<Step> steps, boolean future, Supplier<Weft> runtime) {
    this.method = method;
    this.steps = steps.toArray(new Step[0]);
    this.slots = new int[this.steps.length];
    int count = 0;
    for (int i = 0; i < this.steps.length; i++) {
      slots[i] = this.steps[i].keepsState() ? count++ : -1;
    }
    this.slotCount = count;
    this.future = future;
    this.runtime = runtime;
  }

  /**
   * Runs the steps before the body.
   *
   * @param target the receiver, {@code null} for a static method
   * @param args the call's arguments, not {@code null}
   * @param refresh whether this is a background refresh's re-invocation
   * @return the call; if {@link Invocation#ended()}, the body must not run
   * @throws RuntimeException what a step threw to refuse the call, after the steps before it
   *     finished with that failure
   */
  public Invocation before(Object target, Object[] args, boolean refresh) {
    Invocation call = new Invocation(target, args, refresh, runtime);
    for (int i = 0; i < steps.length; i++) {
      Object state;
      try {
        state = steps[i].before(call);
      } catch (RuntimeException | Error e) {
        throw unwound(call, i, e);
      }
      if (slots[i] >= 0) {
        call.state(slots[i], state, slotCount);
      }
      if (call.ended()) {
        call.reached = i;
        return call;
      }
    }
    call.reached = steps.length;
    return call;
  }

  /**
   * Runs the steps after the body (or after the step that ended the call).
   *
   * @param call what {@link #before} returned, not {@code null}
   * @param returned what the body returned, ignored when the call was ended or the body threw
   * @param thrown what the body threw, or {@code null}
   * @return what the call returns (when {@code thrown} is {@code null})
   */
  public Object after(Invocation call, Object returned, Throwable thrown) {
    Object result = call.ended() ? call.result() : returned;
    int reached = call.reached;
    if (thrown == null && future && result instanceof CompletionStage<?> stage) {
      for (int i = reached - 1; i >= 0; i--) {
        steps[i].handOff(call, state(call, i), stage);
      }
      stage.whenComplete((value, failure) -> completed(call, reached, value, failure));
      return result;
    }
    Throwable failure = thrown;
    for (int i = reached - 1; i >= 0; i--) {
      try {
        Object next = steps[i].after(call, state(call, i), result, failure);
        if (failure == null) {
          result = next;
        }
      } catch (RuntimeException | Error e) {
        failure = e;
      }
    }
    if (failure != null && failure != thrown) {
      throw unchecked(failure);
    }
    return result;
  }

  /** A future's completion: each step finishes with its value or failure, whatever the others do. */
  private void completed(Invocation call, int reached, Object value, Throwable failure) {
    for (int i = reached - 1; i >= 0; i--) {
      try {
        steps[i].after(call, state(call, i), value, failure);
      } catch (RuntimeException | Error e) {
        // No caller is left to throw to: the future has completed.
        log.warn("{}: {} failed after the returned future completed", method, steps[i], e);
      }
    }
  }

  /** The steps before {@code failed} finish with its failure; returns what to throw. */
  private RuntimeException unwound(Invocation call, int failed, Throwable thrown) {
    Throwable failure = thrown;
    for (int i = failed - 1; i >= 0; i--) {
      try {
        steps[i].after(call, state(call, i), null, failure);
      } catch (RuntimeException | Error e) {
        failure = e;
      }
    }
    return unchecked(failure);
  }

  private Object state(Invocation call, int step) {
    int slot = slots[step];
    return slot < 0 ? null : call.state(slot);
  }

  private static RuntimeException unchecked(Throwable t) {
    if (t instanceof Error e) {
      throw e;
    }
    return (RuntimeException) t;
  }

  @Override
  public String toString() {
    return List.of(steps).toString();
  }
}
