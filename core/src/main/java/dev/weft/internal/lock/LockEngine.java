package dev.weft.internal.lock;

import dev.weft.exception.LockNotAcquiredException;
import dev.weft.internal.cache.ChangeFeed;
import dev.weft.internal.cache.KeyWaiter;
import dev.weft.internal.redis.HashTags;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.Script;
import dev.weft.internal.redis.Secrets;
import dev.weft.lock.LockOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed locks of one runtime: acquiring (with waiting), renewing and releasing, on the
 * runtime's Redis or, for Redlock, on its independent masters.
 *
 * <h2>Layout</h2>
 *
 * A lock is the string {@code weft:lock:{<user key>}} (in the runtime's {@linkplain
 * dev.weft.internal.redis.KeySpace key space}: behind its prefix, on Redlock masters too) holding its owner's random token, with the
 * lease as TTL; its fence {@code weft:lock:{<user key>}:fence} holds the last fencing token issued
 * (kept {@value #FENCE_LIFE_DAYS} days after the last acquisition). Both share the user key as
 * hash tag, so {@code lock_acquire.lua} sets the lock ({@code SET NX PX}) and issues the token in
 * one atomic step, on a cluster too. Release ({@code lock_release.lua}) and renewal
 * ({@code lock_renew.lua}) compare the owner token first: nobody else can release or extend.
 *
 * <h2>Waiting</h2>
 *
 * A waiter does not poll in a loop. Before each attempt it takes the change feed's shared future
 * for the lock's key (one subscription per runtime, one future per key, however many waiters), and
 * after a failed attempt sleeps on it until the lock is released (the release script publishes the
 * key), until the holder's lease ends (the attempt returns its remaining time, for a holder that
 * crashed), or at most {@value #MAX_PAUSE_MILLIS} ms as a fallback; while the feed is down it
 * polls with a backoff from {@value #MIN_POLL_MILLIS} to {@value #MAX_POLL_MILLIS} ms (a {@link
 * KeyWaiter}). Within one process, threads waiting for the same key queue on a local {@link
 * Gate}, so only one of them waits in Redis at a time.
 *
 * <h2>Renewal</h2>
 *
 * One scheduler thread per runtime, started at the first renewable lock, renews every held lock
 * every third of its lease; never a thread or timer per lock. A hold's task is cancelled when it
 * is released or lost, when every owner of the hold is gone without releasing it (a thread that
 * ended, a lease or future nobody can reach: see {@link Hold}), or when its {@link
 * LockOptions#maxHold()} has passed; the lock then expires with its lease.
 *
 * <h2>Failures</h2>
 *
 * Locks fail closed: if Redis cannot be reached the acquire throws {@link
 * LockNotAcquiredException} and the guarded code does not run. An attempt whose reply was lost
 * might still have taken the lock in Redis; the engine then deletes it (owner token compared) on a
 * best-effort basis, and otherwise it expires with its lease, unrenewed.
 */
public final class LockEngine implements AutoCloseable {

  static final int FENCE_LIFE_DAYS = 7;
  static final long MAX_PAUSE_MILLIS = 1000;
  static final long MIN_POLL_MILLIS = 10;
  static final long MAX_POLL_MILLIS = 250;
  private static final KeyWaiter.Pace PACE =
      new KeyWaiter.Pace(
          Duration.ofMillis(MIN_POLL_MILLIS),
          Duration.ofMillis(MAX_POLL_MILLIS),
          Duration.ofMillis(MAX_PAUSE_MILLIS));

  private static final Logger log = LoggerFactory.getLogger(LockEngine.class);
  private static final Script<Attempt> ACQUIRE =
      Script.multi("lock_acquire", reply -> new Attempt((Long) reply.get(0) == 1L, (Long) reply.get(1)));
  private static final Script<Boolean> RELEASE = Script.flag("lock_release");
  private static final Script<Boolean> RENEW = Script.flag("lock_renew");
  private static final Duration FENCE_LIFE = Duration.ofDays(FENCE_LIFE_DAYS);

  private final RedisGateway redis;
  private final String prefix;
  private final ChangeFeed feed;
  private final List<RedisGateway> masters;
  private final LockMetrics metrics;
  private final Set<Hold> renewing = ConcurrentHashMap.newKeySet();
  /** The holds acquired and not yet released, weakly: a hold nobody can reach is no one's. */
  private final Set<Hold> held =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();
  private final Object schedulerLock = new Object();
  private ScheduledThreadPoolExecutor scheduler;
  private volatile boolean closed;

  /**
   * @param redis the runtime's gateway
   * @param feed the runtime's change feed, on which releases are announced
   * @param masters the independent masters for Redlock, empty if none are configured
   */
  public LockEngine(RedisGateway redis, ChangeFeed feed, List<RedisGateway> masters) {
    this.redis = redis;
    this.prefix = redis.keys().internal("lock:");
    this.feed = feed;
    this.masters = List.copyOf(masters);
    this.metrics = LockMetrics.create(redis.meterRegistry());
  }

  /**
   * @param userKey the user's key, not empty
   * @return the lock's Redis key
   */
  public String redisKey(String userKey) {
    if (userKey.isEmpty()) {
      throw new IllegalArgumentException("a lock key must not be empty: name what is locked");
    }
    return HashTags.tagged(prefix, dev.weft.internal.plan.KeyText.bound(userKey));
  }

  /**
   * Acquires the lock on {@code userKey}, waiting up to {@code wait}.
   *
   * @param userKey what is locked, not empty
   * @param options lease, renewal, hold, Redlock
   * @param wait the longest wait, zero or positive
   * @param holder who asks, for messages ({@code "@DistributedLock on a.B.c()"})
   * @param reentrant whether this thread entering a lock it holds gets it at once (and whether a
   *     later call of this thread may re-enter this hold)
   * @return the hold, or {@code null} if the lock was still taken after {@code wait}
   * @throws LockNotAcquiredException if Redis cannot be reached, Redlock is not configured, or the
   *     thread was interrupted (its flag is set again)
   */
  public Hold acquire(
      String userKey, LockOptions options, Duration wait, String holder, boolean reentrant) {
    String key = redisKey(userKey);
    if (reentrant) {
      Hold held = Hold.reentrant(this, key);
      if (held != null && held.reenter(holder)) {
        return held;
      }
    }
    long start = System.nanoTime();
    if (Thread.currentThread().isInterrupted()) {
      throw interrupted(holder, userKey, start, new InterruptedException());
    }
    Hold hold = wait.isZero()
        ? attempt(userKey, key, options, wait, holder, reentrant, start)
        : await(userKey, key, options, wait, holder, reentrant, start);
    if (hold == null) {
      if (wait.isZero()) {
        metrics.busy();
      } else {
        metrics.timedOut();
      }
      return null;
    }
    metrics.acquired();
    held.add(hold);
    hold.attach();
    if (options.autoRenew()) {
      long period = Math.max(1, options.lease().toMillis() / 3);
      renewing.add(hold);
      hold.renewWith(scheduler().scheduleWithFixedDelay(hold::renew, period, period, TimeUnit.MILLISECONDS));
    }
    return hold;
  }

  private Hold attempt(
      String userKey, String key, LockOptions options, Duration wait, String holder,
      boolean reentrant, long start) {
    return options.redlock()
        ? acquireRedlock(userKey, key, options, wait, holder, reentrant, start)
        : acquireSingle(userKey, key, options, wait, holder, reentrant, start);
  }

  /** Waits for the lock, behind this process's other waiters for the key (see {@link Gate}). */
  private Hold await(
      String userKey, String key, LockOptions options, Duration wait, String holder,
      boolean reentrant, long start) {
    Gate gate = enter(key);
    try {
      if (!gate.pass(wait)) {
        return null;
      }
      try {
        // The deadline stays start + wait: the time spent queued at the gate is part of the wait,
        // counted once.
        return attempt(userKey, key, options, wait, holder, reentrant, start);
      } finally {
        gate.permit.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      metrics.failed();
      throw interrupted(holder, userKey, start, e);
    } finally {
      leave(key, gate);
    }
  }

  private Hold acquireSingle(
      String userKey, String key, LockOptions options, Duration wait, String holder,
      boolean reentrant, long start) {
    KeyWaiter released = KeyWaiter.on(feed, key, start + wait.toNanos(), PACE);
    while (true) {
      String owner = newOwner();
      // listen before asking, so that no release can slip between a failed attempt and the wait
      released.listen();
      long sent = System.nanoTime();
      Attempt reply;
      try {
        reply = redis.run(acquire(key, owner, options));
      } catch (RuntimeException e) {
        forget(redis, key, owner);
        metrics.failed();
        if (Thread.currentThread().isInterrupted()) {
          throw interrupted(holder, userKey, start, e);
        }
        throw unreachable(holder, userKey, start, redis.describe() + ": " + e.getMessage(), e);
      }
      if (reply.acquired()) {
        return new Hold(this, userKey, key, owner, reply.value(), options, holder, reentrant, sent, null);
      }
      try {
        // until released, the holder's lease ends (a holder that crashed), or a re-check is due
        if (!released.await(reply.value())) {
          return null;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        metrics.failed();
        throw interrupted(holder, userKey, start, e);
      }
    }
  }

  /**
   * Redlock: the lock is held when a majority of the independent masters granted it within its
   * validity (the lease minus the time the attempt took minus the drift allowance). A failed
   * attempt is undone on every master and retried after a random pause of 50 to 150 ms.
   */
  private Hold acquireRedlock(
      String userKey, String key, LockOptions options, Duration wait, String holder,
      boolean reentrant, long start) {
    if (masters.isEmpty()) {
      throw new LockNotAcquiredException(
          holder + ": Redlock is asked for but no Redlock masters are configured; set"
              + " WEFT_REDLOCK_URLS (comma-separated redis:// URLs of independent masters) or"
              + " Weft.builder().redlock(...), or drop redlock = true",
          userKey, Duration.ZERO, null);
    }
    int quorum = masters.size() / 2 + 1;
    long deadline = start + wait.toNanos();
    long leaseNanos = options.lease().toNanos();
    long drift = leaseNanos / 100 + TimeUnit.MILLISECONDS.toNanos(2);
    while (true) {
      String owner = newOwner();
      long sent = System.nanoTime();
      List<RedisGateway> granted = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      RuntimeException lastFailure = null;
      for (RedisGateway master : masters) {
        try {
          if (master.run(acquire(key, owner, options)).acquired()) {
            granted.add(master);
          }
        } catch (RuntimeException e) {
          failures.add(master.describe() + ": " + e.getMessage());
          lastFailure = e;
        }
      }
      long validity = leaseNanos - (System.nanoTime() - sent) - drift;
      if (granted.size() >= quorum && validity > 0) {
        return new Hold(this, userKey, key, owner, 0, options, holder, reentrant, sent, masters);
      }
      for (RedisGateway master : masters) {
        forget(master, key, owner);
      }
      if (masters.size() - failures.size() < quorum) {
        metrics.failed();
        throw unreachable(holder, userKey, start, failures.size() + " of " + masters.size()
            + " Redlock masters failed, a majority (" + quorum + ") must answer: " + failures,
            lastFailure);
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return null;
      }
      long pause = Math.min(remaining,
          TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(50, 151)));
      try {
        TimeUnit.NANOSECONDS.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        metrics.failed();
        throw interrupted(holder, userKey, start, e);
      }
    }
  }

  /**
   * Extends {@code hold}'s lease.
   *
   * @param extensionNanos the new lease from now: the lease, or less where maxHold ends sooner
   * @return whether Redis (for Redlock: a majority of the masters) still held it for its owner
   * @throws RuntimeException if Redis cannot be reached (for Redlock: too few masters answered)
   */
  boolean renew(Hold hold, long extensionNanos) {
    Duration extension = Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(extensionNanos)));
    if (hold.masters == null) {
      return redis.run(renewal(hold, extension));
    }
    int quorum = hold.masters.size() / 2 + 1;
    int extended = 0;
    int answered = 0;
    RuntimeException failure = null;
    for (RedisGateway master : hold.masters) {
      try {
        boolean r = master.run(renewal(hold, extension));
        answered++;
        extended += r ? 1 : 0;
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (extended >= quorum) {
      return true;
    }
    if (answered < quorum && failure != null) {
      throw failure;
    }
    return false;
  }

  /**
   * The threads of this process waiting for one key. Only the thread holding the gate's permit
   * waits in Redis (asks, then sleeps until a release is published); the others queue on the
   * permit in arrival order. So a release wakes one thread per process, not every waiter (each of
   * which would send a command, all but one in vain), and a process's waiters are served first
   * come, first served. The permit is returned as soon as its thread has the lock (or gives up),
   * so a holder that lost its lease without releasing never blocks the queue.
   */
  static final class Gate {
    final Semaphore permit = new Semaphore(1, true);
    int users;

    boolean pass(Duration wait) throws InterruptedException {
      return wait.isZero()
          ? permit.tryAcquire()
          : permit.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private Gate enter(String key) {
    return gates.compute(key, (k, g) -> {
      Gate gate = g == null ? new Gate() : g;
      gate.users++;
      return gate;
    });
  }

  private void leave(String key, Gate gate) {
    gates.computeIfPresent(key, (k, g) -> {
      if (g != gate) {
        return g;
      }
      g.users--;
      return g.users == 0 ? null : g;
    });
  }

  /** Releases {@code hold} in Redis, keeping it until holdAtLeast has passed. Never throws. */
  void release(Hold hold) {
    held.remove(hold);
    long heldNanos = System.nanoTime() - hold.acquiredAt();
    long keep = Math.max(0, TimeUnit.NANOSECONDS.toMillis(hold.options.holdAtLeast().toNanos() - heldNanos));
    boolean interrupted = Thread.interrupted();
    try {
      for (RedisGateway gateway : hold.masters == null ? List.of(redis) : hold.masters) {
        try {
          boolean ours = gateway.run(
              RELEASE.keys(hold.redisKey).arg(hold.owner).arg(gateway.keys().channel()).arg(keep));
          if (!ours && hold.masters == null) {
            log.warn("Weft released the lock '{}' held by {} after its lease had ended: another"
                + " holder may have run at the same time", hold.userKey, hold.holder);
          }
        } catch (RuntimeException e) {
          log.warn("Weft could not release the lock '{}' held by {} ({}); it expires with its"
              + " lease", hold.userKey, hold.holder, e.getMessage());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Best-effort removal of a lock an attempt may have taken without learning it. */
  private static void forget(RedisGateway gateway, String key, String owner) {
    boolean interrupted = Thread.interrupted();
    try {
      gateway.run(RELEASE.keys(key).arg(owner).arg(gateway.keys().channel()).arg(0));
    } catch (RuntimeException e) {
      log.debug("could not undo a lock attempt on {}; it expires with its lease", key, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void lost() {
    metrics.lost();
  }

  void abandoned() {
    metrics.abandoned();
  }

  void heldTooLong() {
    metrics.heldTooLong();
  }

  void stoppedRenewing(Hold hold) {
    renewing.remove(hold);
  }

  /** @return how many holds are being renewed right now (for tests and health views) */
  public int renewingCount() {
    return renewing.size();
  }

  private ScheduledThreadPoolExecutor scheduler() {
    synchronized (schedulerLock) {
      if (scheduler == null) {
        if (closed) {
          throw new IllegalStateException("this Weft runtime is closed");
        }
        ScheduledThreadPoolExecutor s =
            new ScheduledThreadPoolExecutor(1, r -> {
              Thread t = new Thread(r, "weft-lock-renewal");
              t.setDaemon(true);
              return t;
            });
        s.setRemoveOnCancelPolicy(true);
        s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler = s;
      }
      return scheduler;
    }
  }

  private static LockNotAcquiredException unreachable(
      String holder, String userKey, long start, String why, Throwable cause) {
    return new LockNotAcquiredException(
        holder + ": cannot lock '" + userKey + "' because Redis cannot be reached ("
            + Secrets.redact(why) + "); locks fail closed, so the guarded code did not run",
        userKey, Duration.ofNanos(System.nanoTime() - start), Secrets.scrub(cause));
  }

  private static LockNotAcquiredException interrupted(
      String holder, String userKey, long start, Throwable cause) {
    return new LockNotAcquiredException(
        holder + ": interrupted while acquiring the lock '" + userKey + "'; the guarded code did"
            + " not run",
        userKey, Duration.ofNanos(System.nanoTime() - start), Secrets.scrub(cause));
  }

  private static String newOwner() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
  }

  private static Script.Call<Attempt> acquire(String key, String owner, LockOptions options) {
    return ACQUIRE.keys(key, key + ":fence").arg(owner).arg(options.lease()).arg(FENCE_LIFE);
  }

  private static Script.Call<Boolean> renewal(Hold hold, Duration extension) {
    return RENEW.keys(hold.redisKey).arg(hold.owner).arg(extension);
  }

  /**
   * What {@code lock_acquire.lua} answered.
   *
   * @param acquired whether the lock is now the caller's
   * @param value if acquired, the fencing token; else the holder's remaining lease in ms (or -1)
   */
  private record Attempt(boolean acquired, long value) {}

  /**
   * Releases, in Redis, every lock this engine holds, as its runtime closes: another process may
   * take them at once rather than at the end of their leases. Their holders' later releases do
   * nothing. Never throws.
   */
  public void releaseHeld() {
    List<Hold> holds;
    synchronized (held) {
      holds = new ArrayList<>(held);
    }
    for (Hold hold : holds) {
      hold.releaseOnClose();
    }
  }

  /**
   * Stops renewing. Locks still held (see {@link #releaseHeld()}) are not released: they expire at
   * the end of their leases. Closes the Redlock masters' connections.
   */
  @Override
  public void close() {
    synchronized (schedulerLock) {
      closed = true;
      if (scheduler != null) {
        scheduler.shutdownNow();
      }
    }
    renewing.clear();
    for (RedisGateway master : masters) {
      master.close();
    }
  }
}
