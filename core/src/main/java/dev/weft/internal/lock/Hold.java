package dev.weft.internal.lock;

import dev.weft.annotation.spi.HeldLocks;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.lock.LockLease;
import dev.weft.lock.LockOptions;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One acquisition of a distributed lock: its owner token and fencing token, its renewal, and how
 * long it is known to be held.
 *
 * <h2>Known to be held</h2>
 *
 * The client never reads Redis's clock, so it reckons conservatively: a lease is valid until the
 * moment the acquiring (or last successful renewing) command was <em>sent</em>, plus the lease,
 * minus a drift allowance (1% of the lease plus 2 ms) for clocks that run at slightly different
 * speeds. A renewal that answers "not yours" (the lease ran out, or someone else holds the lock)
 * or that cannot reach Redis before that moment marks the hold lost: logged, counted, {@link
 * #isHeld()} false, renewal stopped.
 *
 * <h2>Re-entry</h2>
 *
 * Each thread keeps a stack of the holds it acquired, for reentrancy and for {@code LockContext};
 * the stack lives in weft-annotations ({@code HeldLocks}), where {@code LockContext} reads it.
 * A re-entry is only as good as the hold it reuses, so it is checked first: a hold known to be
 * held is entered at once; one marked lost is refused; one past its known-held moment but not
 * marked lost (its renewal is late: a stalled scheduler, a slow Redis, no renewal at all) is
 * confirmed with Redis by a renewal, which compares the owner token. A lost hold is never
 * replaced by a fresh acquisition behind the outer code's back: the outer body has run without
 * the lock for a while, so the re-entering call fails ({@link LockNotAcquiredException}) and the
 * failure reaches the outer code.
 *
 * <h2>Owners</h2>
 *
 * A hold is owned by its entries, one per acquisition or re-entry: the thread that runs a
 * synchronous locked call, the {@link LockLease} handed to a user, or the future a locked call
 * returned. Only the entry's owner can end it, so each renewal tick first looks for entries whose
 * owner is gone without ending them: a thread that ended, a lease or a future that nobody can
 * reach any more (both watched through weak references, so the hold itself keeps neither alive).
 * Such an entry is dropped with one WARN naming where the lock was acquired (the first caller
 * frame outside Weft, captured at the acquisition: one lazy stack walk that stops at that frame,
 * a small fraction of the acquisition's own Redis round trip). When no entry is left the renewal stops and
 * the lock is left to expire at the end of its lease: not deleted, because code that merely
 * dropped its reference may still be running, and a lapse gives it the same lease a crashed
 * process gets. A bound on the whole hold ({@link LockOptions#maxHold()}) ends renewal the same
 * way: the last renewal extends the lease only up to the bound.
 *
 * <h2>Threads</h2>
 *
 * Renewal runs on the engine's one scheduler thread; renewal, re-entry and release of one hold
 * are serialised on the hold, so a release is never overtaken by an in-flight renewal.
 */
public final class Hold implements HeldLocks.Held {

  private static final Logger log = LoggerFactory.getLogger(Hold.class);
  private static final StackWalker WALKER = StackWalker.getInstance();

  final LockEngine engine;
  final String userKey;
  final String redisKey;
  final String owner;
  final LockOptions options;
  final String holder;
  /** The masters that granted a Redlock lock; {@code null} for a single-master lock. */
  final List<RedisGateway> masters;
  /** The first caller outside Weft when the lock was acquired, for messages. */
  final String site;
  private final long token;
  private final long acquiredAt;
  private final boolean reentrant;
  private final Thread thread;
  private final long leaseNanos;
  private final long driftNanos;
  private final long maxHoldNanos;

  private volatile long validUntil;
  /** No entry is left: the lock was released, or left to expire when its owners were gone. */
  private volatile boolean released;
  private volatile boolean lost;
  private volatile String lostWhy;
  /** Who may still end this hold; the last entry is the innermost. Guarded by {@code this}. */
  private final List<Entry> entries = new ArrayList<>(1);
  private ScheduledFuture<?> renewal;

  Hold(
      LockEngine engine, String userKey, String redisKey, String owner, long token,
      LockOptions options, String holder, boolean reentrant, long sentAt,
      List<RedisGateway> masters) {
    this.engine = engine;
    this.userKey = userKey;
    this.redisKey = redisKey;
    this.owner = owner;
    this.token = token;
    this.options = options;
    this.holder = holder;
    this.reentrant = reentrant;
    this.masters = masters;
    this.thread = Thread.currentThread();
    this.site = callerSite();
    this.acquiredAt = sentAt;
    this.leaseNanos = options.lease().toNanos();
    this.driftNanos = leaseNanos / 100 + TimeUnit.MILLISECONDS.toNanos(2);
    this.maxHoldNanos = options.maxHold().toNanos();
    this.validUntil = sentAt + leaseNanos - driftNanos;
    entries.add(new Entry(thread));
  }

  /** @return the first frame of the calling thread outside Weft, as {@code Class.method(File:line)} */
  public static String callerSite() {
    return WALKER.walk(frames -> frames
        .filter(f -> !weft(f.getClassName(), f.getMethodName()))
        .findFirst()
        .map(f -> f.toStackTraceElement().toString())
        .orElse("(unknown)"));
  }

  /** Weft's own frames, and the ones ajc generates around an advised method. */
  private static boolean weft(String className, String method) {
    if (className.startsWith("dev.weft.")) {
      String rest = className.substring("dev.weft.".length());
      if (rest.indexOf('.') < 0 || rest.startsWith("internal.") || rest.startsWith("weaving.")
          || rest.startsWith("agent.") || rest.startsWith("aspectj.WeftAspect")) {
        return true;
      }
    }
    return className.startsWith("org.aspectj.")
        || method.endsWith("$advice") || method.contains("_aroundBody");
  }

  /**
   * @return this thread's reentrant hold of {@code redisKey} on {@code engine}, not entered yet
   *     (see {@link #reenter}), or {@code null} if it holds none
   */
  static Hold reentrant(LockEngine engine, String redisKey) {
    for (Iterator<HeldLocks.Held> it = HeldLocks.ofCurrentThread().iterator(); it.hasNext(); ) {
      HeldLocks.Held held = it.next();
      if (held.ended()) {
        it.remove();
      } else if (held instanceof Hold h
          && h.reentrant && h.engine == engine && h.redisKey.equals(redisKey)) {
        return h;
      }
    }
    return null;
  }

  /**
   * Enters this hold once more for the current thread, after checking it is still held (see the
   * class comment): at once while it is known to be held, else after Redis confirmed it.
   *
   * @param inner who re-enters, for messages
   * @return whether it was entered; {@code false} if it ended meanwhile (then acquire anew)
   * @throws LockNotAcquiredException if the hold was lost or cannot be confirmed
   */
  boolean reenter(String inner) {
    synchronized (this) {
      if (released) {
        return false;
      }
      if (!lost && System.nanoTime() - validUntil >= 0) {
        confirm();
      }
      if (lost) {
        throw new LockNotAcquiredException(
            inner + ": cannot re-enter the lock '" + userKey + "': this thread's hold of it ("
                + holder + ", acquired at " + site + ") was lost: " + lostWhy + ". Another owner"
                + " may hold it now and the code around this call ran without the lock since;"
                + " this call did not run and the lock is not taken anew. Give the outer lock a"
                + " longer lease, or let it renew (autoRenew)",
            userKey, Duration.ZERO, null);
      }
      entries.add(new Entry(Thread.currentThread()));
      return true;
    }
  }

  /** Asks Redis whether this hold is still ours, extending it if so; marks it lost if not. */
  private void confirm() {
    long sent = System.nanoTime();
    long extension = extension(sent);
    if (extension <= 0) {
      endAtMaxHold();
      return;
    }
    try {
      if (engine.renew(this, extension)) {
        validUntil = sent + extension - driftNanos;
      } else {
        lose("Redis no longer holds it for this owner (its lease ran out before it was renewed)");
      }
    } catch (RuntimeException e) {
      lose("its lease ran out and Redis could not confirm it: " + e.getMessage());
    }
  }

  /** Puts this hold on top of the acquiring thread's stack. */
  void attach() {
    HeldLocks.ofCurrentThread().push(this);
  }

  /**
   * Takes this hold off the current thread's stack, if it is the acquiring thread. Called when the
   * synchronous part of a locked call ends.
   */
  public void detach() {
    if (Thread.currentThread() == thread) {
      HeldLocks.ofCurrentThread().removeFirstOccurrence(this);
    }
  }

  /**
   * Hands the current thread's innermost entry to {@code stage}: a future-returning method keeps
   * the lock until its future completes, but its thread moves on. The hold watches the future
   * weakly: dropped without completing, it stops being renewed.
   *
   * @param stage what the lock is now held for
   */
  public void handTo(CompletionStage<?> stage) {
    synchronized (this) {
      Entry entry = lastOwnedByThread();
      if (entry != null) {
        entry.handTo(stage, false);
      }
    }
    detach();
  }

  /**
   * Lets the acquiring thread move on while the lock stays held (by a future): the hold leaves the
   * thread's stack, unless this thread holds it re-entered from an outer call, which still owns it.
   */
  void handOff() {
    synchronized (this) {
      if (entries.size() > 1) {
        return;
      }
    }
    detach();
  }

  /** @return the lock's key as the user gave it */
  public String key() {
    return userKey;
  }

  /**
   * @return the fencing token
   * @throws IllegalStateException for a Redlock hold
   */
  @Override
  public long fencingToken() {
    if (masters != null) {
      throw new IllegalStateException(
          "the lock '" + userKey + "' is a Redlock lock, which has no fencing token: independent"
              + " masters cannot issue one number that always increases. Use the single-master"
              + " lock (redlock = false) where downstream writes must be fenced");
    }
    return token;
  }

  /** @return whether the lease is still known to be held (see the class comment) */
  @Override
  public boolean isHeld() {
    return !released && !lost && System.nanoTime() - validUntil < 0;
  }

  /**
   * @return a view to hand to users for the entry just made by this thread's acquisition: closing
   *     it releases that entry, at most once; dropping it unclosed ends it at a renewal tick
   */
  public LockLease lease() {
    synchronized (this) {
      Entry entry = lastOwnedByThread();
      Lease lease = new Lease(this, entry);
      if (entry != null) {
        entry.handTo(lease, true);
      }
      return lease;
    }
  }

  /** @return whether no entry is left: released, or left to expire when its owners were gone */
  @Override
  public boolean ended() {
    return released;
  }

  /** @return when the lock was acquired, {@link System#nanoTime()} of the acquiring command */
  long acquiredAt() {
    return acquiredAt;
  }

  void renewWith(ScheduledFuture<?> task) {
    synchronized (this) {
      if (released || lost) {
        task.cancel(false);
      } else {
        renewal = task;
      }
    }
  }

  /**
   * Releases the innermost entry not held by a {@link LockLease}; the last one releases the lock
   * in Redis (honouring holdAtLeast) and stops the renewal. Never throws and ignores the thread's
   * interrupt flag (which it leaves as it was): if Redis cannot be reached the lock expires at the
   * end of its lease.
   */
  public void release() {
    release(null);
  }

  /** As {@link #release()}, for one given entry (a lease's), or the innermost if {@code null}. */
  private void release(Entry entry) {
    synchronized (this) {
      if (released) {
        return;
      }
      Entry ending = entry != null ? entry : lastNotLease();
      if (!entries.remove(ending) && entry != null) {
        return; // dropped by a renewal tick already, its owner thought gone
      }
      if (!entries.isEmpty()) {
        return;
      }
      released = true;
      stopRenewal();
    }
    detach();
    engine.release(this);
  }

  /**
   * Releases the lock in Redis (honouring holdAtLeast) whatever entries it still has, because its
   * runtime closes; later releases of its entries do nothing. A lost hold is left as it is.
   */
  void releaseOnClose() {
    synchronized (this) {
      if (released || lost) {
        return;
      }
      released = true;
      stopRenewal();
    }
    engine.release(this);
  }

  private Entry lastNotLease() {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (!entries.get(i).lease) {
        return entries.get(i);
      }
    }
    return entries.isEmpty() ? null : entries.get(entries.size() - 1);
  }

  private Entry lastOwnedByThread() {
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry entry = entries.get(i);
      if (entry.thread == Thread.currentThread() && !entry.handedOver()) {
        return entries.get(i);
      }
    }
    return null;
  }

  /** Extends the lease, after dropping entries whose owner is gone; run by the engine's scheduler. */
  void renew() {
    try {
      synchronized (this) {
        if (released || lost) {
          stopRenewal();
          return;
        }
        if (dropOwnersGone()) {
          return;
        }
        long sent = System.nanoTime();
        long extension = extension(sent);
        if (extension <= 0) {
          endAtMaxHold();
          return;
        }
        boolean extended;
        try {
          extended = engine.renew(this, extension);
        } catch (RuntimeException e) {
          if (System.nanoTime() - validUntil >= 0) {
            lose("its renewal failed until the lease ran out: " + e.getMessage());
          } else {
            log.debug("renewal of {} failed; retrying while the lease lasts", holder, e);
          }
          return;
        }
        if (extended) {
          validUntil = sent + extension - driftNanos;
        } else {
          lose("Redis no longer holds it for this owner (the lease ran out before it was renewed)");
        }
      }
    } catch (RuntimeException | Error e) {
      log.error("renewal of {} failed unexpectedly", holder, e);
    }
  }

  /**
   * Drops the entries whose owner is gone, with a WARN each; when none is left, stops renewing
   * and leaves the lock to expire.
   *
   * @return whether the hold ended
   */
  private boolean dropOwnersGone() {
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      String gone = entry.gone();
      if (gone != null) {
        it.remove();
        log.warn(
            "Weft stops renewing an entry of the lock '{}' ({}, acquired at {}): {}.{} Close every"
                + " LockLease (try-with-resources) and complete every future a lock is held for",
            userKey, holder, site, gone, entries.isEmpty()
                ? " Nobody can release it any more, so it expires at the end of its lease ("
                    + options.lease() + ")."
                : "");
      }
    }
    if (!entries.isEmpty()) {
      return false;
    }
    released = true;
    stopRenewal();
    engine.abandoned();
    return true;
  }

  /** @return how far the next renewal may extend the lease, in ns: the lease, or up to maxHold */
  private long extension(long now) {
    if (maxHoldNanos == 0) {
      return leaseNanos;
    }
    long left = acquiredAt + maxHoldNanos - now;
    return left < TimeUnit.MILLISECONDS.toNanos(1) ? 0 : Math.min(leaseNanos, left);
  }

  private void endAtMaxHold() {
    lost = true;
    lostWhy = "it was held for its maxHold of " + options.maxHold();
    stopRenewal();
    engine.heldTooLong();
    log.warn(
        "Weft stopped renewing the lock '{}' ({}, acquired at {}): it has been held for its"
            + " maxHold of {}, and expires now. Another holder may now run; code that checks"
            + " LockContext.isHeld() sees false, and writes fenced with token {} can be refused",
        userKey, holder, site, options.maxHold(), masters == null ? token : "(none: Redlock)");
  }

  private void lose(String why) {
    lost = true;
    lostWhy = why;
    stopRenewal();
    engine.lost();
    log.warn(
        "Weft lost the lock '{}' held by {} (acquired at {}): {}. Another holder may now run; code"
            + " that checks LockContext.isHeld() sees false, and writes fenced with token {} can be"
            + " refused",
        userKey, holder, site, why, masters == null ? token : "(none: Redlock)");
  }

  private void stopRenewal() {
    if (renewal != null) {
      renewal.cancel(false);
      renewal = null;
    }
    engine.stoppedRenewing(this);
  }

  @Override
  public String toString() {
    return "Hold[" + userKey + " by " + holder + (released ? ", released" : "")
        + (lost ? ", lost" : "") + "]";
  }

  /**
   * Who may end one entry of a hold: the thread running a synchronous locked call, or, once
   * handed over, a {@link LockLease} or the future of a locked call, watched weakly.
   */
  private static final class Entry {
    final Thread thread;
    private WeakReference<Object> handedTo;
    private boolean future;
    boolean lease;

    Entry(Thread thread) {
      this.thread = thread;
    }

    boolean handedOver() {
      return handedTo != null;
    }

    void handTo(Object owner, boolean isLease) {
      handedTo = new WeakReference<>(owner);
      lease = isLease;
      future = !isLease;
    }

    /** @return why this entry's owner is gone without ending it, or {@code null} if it is not */
    String gone() {
      if (handedTo == null) {
        return thread.isAlive() ? null
            : "the thread '" + thread.getName() + "' that held it ended without releasing it";
      }
      if (handedTo.get() != null) {
        return null;
      }
      return future
          ? "the future it was held for became unreachable without completing"
          : "its LockLease became unreachable without being closed";
    }
  }

  /** A user's handle on one entry of a hold. */
  private static final class Lease implements LockLease {
    private final Hold hold;
    private final Entry entry;
    private boolean closed;

    Lease(Hold hold, Entry entry) {
      this.hold = hold;
      this.entry = entry;
    }

    @Override
    public String key() {
      return hold.userKey;
    }

    @Override
    public long fencingToken() {
      return hold.fencingToken();
    }

    @Override
    public boolean isHeld() {
      return !closed && hold.isHeld();
    }

    @Override
    public void releaseWhenComplete(CompletionStage<?> stage) {
      Objects.requireNonNull(stage, "stage");
      hold.handOff();
      stage.whenComplete((value, error) -> close());
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      hold.release(entry);
    }

    @Override
    public String toString() {
      return "LockLease[" + hold.userKey + (closed ? ", closed" : "") + "]";
    }
  }
}
