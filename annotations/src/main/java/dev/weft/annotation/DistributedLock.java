package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method only while holding a lock in Redis, so that at most one caller at a time, in
 * any process sharing the Redis, runs it for the same {@link #key()}.
 *
 * <pre>{@code
 * @DistributedLock(key = "invoice:{invoiceId}", waitTime = "2s")
 * public void settle(long invoiceId) { ... }
 *
 * @Scheduled(cron = "0 0 * * * *")
 * @DistributedLock(key = "nightly-report", onLocked = OnLocked.SKIP, holdAtLeast = "1m")
 * public void report() { ... }   // one instance of the fleet runs it, the others skip
 * }</pre>
 *
 * <p>The lock lives for {@link #lease()} and, with {@link #autoRenew()} (the default), is extended
 * while the method still runs; it is released when the method returns or throws (for a method
 * returning {@code CompletableFuture}, when the future completes). Inside the method,
 * {@link LockContext#currentFencingToken()} returns a number that strictly increases per
 * key across every holder, which downstream storage can use to reject writes from a holder that
 * lost its lease.
 *
 * <p>The same thread calling a method locked on the same key again (directly or through another
 * method) enters without waiting, reusing the outer call's lock, once it is sure that lock is
 * still held: while the outer lease is known to be held (renewed in time) at once, otherwise after
 * Redis confirmed it still holds the outer owner's token. If the outer lock was lost (its lease
 * ran out, so another process may hold it now) the nested call does not run and does not take the
 * lock anew: it throws {@link dev.weft.exception.LockNotAcquiredException} saying the outer hold
 * was lost, whatever {@link #onLocked()} says, so the outer code learns that it ran without the
 * lock. When Redis cannot be reached the method does not run: the call throws {@link
 * dev.weft.exception.LockNotAcquiredException}, which says why.
 *
 * <p>Renewal ends with its owner: if the thread running the method ends without returning (or
 * the future the method returned becomes unreachable without completing), Weft stops renewing the
 * lock with a WARN naming the key and where it was acquired, and the lock expires at the end of
 * its lease. {@link #maxHold()} bounds the whole hold.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DistributedLock {

  /**
   * What is locked, a template as in {@link Cached#key()} (for example {@code "invoice:{id}"}).
   * Empty (the default) means one lock for the method, whatever the arguments.
   *
   * @return the key template, never {@code null}
   */
  String key() default "";

  /**
   * How long the lock lives in Redis without renewal: the longest another process waits for it
   * after this one crashes. A duration string ({@code "30s"}, {@code "5m"}, ISO {@code "PT30S"},
   * {@code "${property:default}"}).
   *
   * @return the lease, default 30 seconds
   */
  String lease() default "30s";

  /**
   * How long a call waits for the lock when another holder has it; empty or {@code "0s"} (the
   * default) fails at once. Waiting costs no busy polling: waiters wake when the lock is released.
   * (Named {@code waitTime} because an annotation cannot declare {@code wait()}.)
   *
   * @return the longest wait as a duration string, or empty
   */
  String waitTime() default "";

  /**
   * Whether the lease is extended (every third of it) while the method still runs. Without it a
   * method that runs longer than {@link #lease()} loses the lock while running.
   *
   * @return whether to renew, default {@code true}
   */
  boolean autoRenew() default true;

  /**
   * What a call does when the lock is still taken after {@link #waitTime()}.
   *
   * @return the policy; default {@link OnLocked#THROW}
   */
  OnLocked onLocked() default OnLocked.THROW;

  /**
   * Keeps the lock at least this long after the call started, even if the method returns sooner,
   * so that the same scheduled job on another node, whose clock or trigger is slightly late, does
   * not run it a second time. Empty (the default): released on return.
   *
   * @return the shortest hold as a duration string, or empty
   */
  String holdAtLeast() default "";

  /**
   * Locks with the Redlock algorithm on the independent Redis masters configured for the runtime
   * ({@code WEFT_REDLOCK_URLS} or {@code Weft.builder().redlock(...)}) instead of the runtime's
   * one Redis: held when a majority granted it. Redlock offers no fencing token; see the README
   * for what it does and does not guarantee.
   *
   * @return whether to use Redlock, default {@code false}
   */
  boolean redlock() default false;

  /**
   * The longest the lock is held in all, renewals included, as a safety net for a method that
   * hangs: past it the lease is no longer renewed and the lock expires (the last renewal extends
   * it only up to this bound), with a WARN naming the key and where it was acquired; the method
   * is not interrupted, but {@link LockContext#isHeld()} turns false and another holder
   * may run. At least {@link #lease()}. Empty (the default): no bound.
   *
   * @return the longest total hold as a duration string, or empty
   */
  String maxHold() default "";

  /**
   * The name of the runtime this method uses, as given to {@code Weft.builder().name(...)}, such
   * as {@code "billing"}: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}. Empty (the
   * default): the global runtime, {@code Weft.global()}. All Weft annotations on one method use
   * one runtime; those that leave this empty follow the one that names it, and two different
   * names on one method are an error. The runtime is looked up at every call, so one built after
   * the method's first call, or built again under the same name, is used from then on; a call
   * made while no runtime of that name was ever built throws {@code WeftConfigurationException}
   * before anything runs.
   *
   * @return the runtime's name, or empty for the global runtime; never {@code null}
   */
  String runtime() default "";

  /** What a call that cannot get the lock does. */
  enum OnLocked {
    /** Throw {@link dev.weft.exception.LockNotAcquiredException}, naming the key and the time waited. */
    THROW,
    /**
     * Skip the call: the method does not run and returns {@code null}, an empty {@code Optional},
     * or a future completed with {@code null}; nothing for {@code void}. Not allowed on methods
     * returning a primitive. The mode for a job that only one node of a fleet should run.
     */
    SKIP
  }
}
