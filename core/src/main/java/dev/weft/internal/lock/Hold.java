package dev.weft.internal.lock;

import dev.weft.LockLease;
import dev.weft.LockOptions;
import dev.weft.internal.redis.RedisGateway;
import java.util.ArrayDeque;
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
 * <h2>Threads</h2>
 *
 * Each thread keeps a stack of the holds it acquired, for reentrancy and for {@code LockContext}.
 * Renewal runs on the engine's one scheduler thread; renewal and release of one hold are
 * serialised on the hold, so a release is never overtaken by an in-flight renewal.
 */
public final class Hold {

  private static final Logger log = LoggerFactory.getLogger(Hold.class);
  private static final ThreadLocal<ArrayDeque<Hold>> HELD = ThreadLocal.withInitial(ArrayDeque::new);

  final LockEngine engine;
  final String userKey;
  final String redisKey;
  final String owner;
  final LockOptions options;
  final String holder;
  /** The masters that granted a Redlock lock; {@code null} for a single-master lock. */
  final List<RedisGateway> masters;
  private final long token;
  private final long acquiredAt;
  private final boolean reentrant;
  private final Thread thread;
  private final long leaseNanos;
  private final long driftNanos;

  private volatile long validUntil;
  private volatile boolean released;
  private volatile boolean lost;
  private int depth;
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
    this.acquiredAt = sentAt;
    this.leaseNanos = options.lease().toNanos();
    this.driftNanos = leaseNanos / 100 + TimeUnit.MILLISECONDS.toNanos(2);
    this.validUntil = sentAt + leaseNanos - driftNanos;
  }

  /** @return the innermost hold of this thread that is not released, or {@code null} */
  public static Hold innermost() {
    ArrayDeque<Hold> held = HELD.get();
    for (Iterator<Hold> it = held.iterator(); it.hasNext(); ) {
      Hold h = it.next();
      if (!h.released) {
        return h;
      }
      it.remove();
    }
    return null;
  }

  /**
   * @return this thread's reentrant hold of {@code redisKey} on {@code engine}, entered once more,
   *     or {@code null} if it holds none
   */
  static Hold reentered(LockEngine engine, String redisKey) {
    ArrayDeque<Hold> held = HELD.get();
    for (Iterator<Hold> it = held.iterator(); it.hasNext(); ) {
      Hold h = it.next();
      if (h.released) {
        it.remove();
      } else if (h.reentrant && h.engine == engine && h.redisKey.equals(redisKey)) {
        synchronized (h) {
          if (!h.released) {
            h.depth++;
            return h;
          }
        }
      }
    }
    return null;
  }

  /** Puts this hold on top of the acquiring thread's stack. */
  void attach() {
    HELD.get().push(this);
  }

  /**
   * Takes this hold off the current thread's stack, if it is the acquiring thread. Called when the
   * synchronous part of a locked call ends; a future-returning method keeps the lock until its
   * future completes, but its thread moves on.
   */
  public void detach() {
    if (Thread.currentThread() == thread) {
      HELD.get().removeFirstOccurrence(this);
    }
  }

  /**
   * Lets the acquiring thread move on while the lock stays held (by a future): the hold leaves the
   * thread's stack, unless this thread holds it re-entered from an outer call, which still owns it.
   */
  void handOff() {
    synchronized (this) {
      if (depth > 0) {
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
  public boolean isHeld() {
    return !released && !lost && System.nanoTime() - validUntil < 0;
  }

  /** @return a view to hand to users: closing it releases one entry, at most once */
  public LockLease lease() {
    return new Lease(this);
  }

  /** @return when the lock was acquired, {@link System#nanoTime()} of the acquiring command */
  long acquiredAt() {
    return acquiredAt;
  }

  void renewWith(ScheduledFuture<?> task) {
    synchronized (this) {
      if (released) {
        task.cancel(false);
      } else {
        renewal = task;
      }
    }
  }

  /**
   * Releases one entry; the last one releases the lock in Redis (honouring holdAtLeast) and stops
   * the renewal. Never throws and ignores the thread's interrupt flag (which it leaves as it was):
   * if Redis cannot be reached the lock expires at the end of its lease.
   */
  public void release() {
    synchronized (this) {
      if (released) {
        return;
      }
      if (depth > 0) {
        depth--;
        return;
      }
      released = true;
      stopRenewal();
    }
    detach();
    engine.release(this);
  }

  /** Extends the lease; run by the engine's scheduler. Never throws. */
  void renew() {
    try {
      synchronized (this) {
        if (released || lost) {
          stopRenewal();
          return;
        }
        long sent = System.nanoTime();
        boolean extended;
        try {
          extended = engine.renew(this);
        } catch (RuntimeException e) {
          if (System.nanoTime() - validUntil >= 0) {
            lose("its renewal failed until the lease ran out: " + e.getMessage());
          } else {
            log.debug("renewal of {} failed; retrying while the lease lasts", holder, e);
          }
          return;
        }
        if (extended) {
          validUntil = sent + leaseNanos - driftNanos;
        } else {
          lose("Redis no longer holds it for this owner (the lease ran out before it was renewed)");
        }
      }
    } catch (RuntimeException | Error e) {
      log.error("renewal of {} failed unexpectedly", holder, e);
    }
  }

  private void lose(String why) {
    lost = true;
    stopRenewal();
    engine.lost();
    log.warn(
        "Weft lost the lock '{}' held by {}: {}. Another holder may now run; code that checks"
            + " LockContext.isHeld() sees false, and writes fenced with token {} can be refused",
        userKey, holder, why, masters == null ? token : "(none: Redlock)");
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

  /** A user's handle on one entry of a hold. */
  private static final class Lease implements LockLease {
    private final Hold hold;
    private boolean closed;

    Lease(Hold hold) {
      this.hold = hold;
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
      hold.release();
    }

    @Override
    public String toString() {
      return "LockLease[" + hold.userKey + (closed ? ", closed" : "") + "]";
    }
  }
}
