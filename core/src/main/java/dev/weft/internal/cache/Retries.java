package dev.weft.internal.cache;

import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.redis.RedisGateway;
import io.lettuce.core.RedisException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invalidations that could not be applied when they were asked for, tried again in the background
 * until Redis takes them or the entries they remove would have expired anyway.
 *
 * <h2>Design</h2>
 *
 * An {@code @Invalidate} or {@code @WriteThrough} runs after the method has changed the database;
 * if Redis fails then, the old entry would be served until its TTL. So the change is kept and
 * retried, never dropped silently:
 *
 * <ul>
 *   <li><b>What is retried.</b> Always an invalidation: of the keys, tags and namespaces that an
 *       {@code @Invalidate} could not remove, and of the key that a {@code @WriteThrough} could not
 *       write. Writing the value later could overwrite a newer one; removing the entry cannot be
 *       wrong, and the next read loads the current value.
 *   <li><b>Until when.</b> Until it succeeds, or until the entries it removes would have expired:
 *       a write-through's own TTL; for an invalidation, whose entries' TTLs are not known here,
 *       the longest TTL this runtime has stored an entry with, capped at {@value #CAP_HOURS} h
 *       (and {@value #CAP_HOURS} h when it has stored none).
 *   <li><b>Pace.</b> One pass at a time tries every pending change; the
 *       first outage ends the pass (Redis is down for all of them), and the next pass waits with
 *       exponential backoff from 100 ms to {@code 5 s}, with jitter (half the delay, plus a random
 *       share of the other half), so processes that lost Redis together do not return together.
 *       While the gateway's circuit breaker is open, a pass tries nothing and waits for it.
 *   <li><b>Bounded.</b> Changes are coalesced by what they remove (the same key twice is one
 *       retry, with the later deadline); at most {@value #MAX_PENDING} are kept, and what does not
 *       fit is counted and reported, never kept without bound.
 *   <li><b>Threads.</b> Passes run on the cache runtime's refresh pool, whose threads exist only
 *       while there is work; the waits between passes are the JDK's shared delayer
 *       ({@link CompletableFuture#delayedExecutor}), created the first time anything waits. No
 *       thread is added to a runtime that never retries.
 *   <li><b>Reporting.</b> One WARN when changes start waiting (an outage), one when the queue has
 *       drained, with how many were applied late, expired or dropped; the meter {@code
 *       weft.cache.retries} (tag {@code outcome=queued|retried|succeeded|expired|dropped}) counts
 *       each.
 * </ul>
 *
 * <p>Closing the runtime stops the retries; what is still pending is reported at WARN and lost.
 */
final class Retries implements AutoCloseable {

  static final int MAX_PENDING = 10_000;
  static final long CAP_HOURS = 1;
  private static final long CAP_MILLIS = TimeUnit.HOURS.toMillis(CAP_HOURS);
  private static final long FIRST_DELAY_MILLIS = 100;
  private static final long MAX_DELAY_MILLIS = 5_000;
  private static final long OPEN_BREAKER_WAIT_MILLIS = 1_000;

  private static final Logger log = LoggerFactory.getLogger(Retries.class);

  /** What a retry removes. */
  enum Kind {
    KEY,
    TAG,
    NAMESPACE
  }

  record Target(Kind kind, String name) {
    @Override
    public String toString() {
      return kind == Kind.KEY ? "'" + name + "'" : kind.name().toLowerCase() + " '" + name + "'";
    }
  }

  private final RedisGateway redis;
  private final Executor executor;
  private final RetryMetrics metrics;
  /** Pending targets, each with its deadline (System.nanoTime). */
  private final Map<Target, Long> pending = new ConcurrentHashMap<>();
  private final AtomicLong longestTtlMillis = new AtomicLong();
  private final Object passLock = new Object();
  // Guarded by this:
  private boolean closed;
  private long scheduledAt;
  private boolean scheduled;
  private int failedPasses;
  private long applied;
  private long expired;
  private long dropped;
  private boolean outage;

  /**
   * @param redis the gateway the retries go through
   * @param executor where passes run
   */
  Retries(RedisGateway redis, Executor executor) {
    this.redis = redis;
    this.executor = executor;
    this.metrics = RetryMetrics.create(redis.meterRegistry());
  }

  /** @param ttlMillis the lifetime an entry was just stored with, positive */
  void stored(long ttlMillis) {
    long longest = longestTtlMillis.get();
    if (ttlMillis > longest) {
      longestTtlMillis.accumulateAndGet(ttlMillis, Math::max);
    }
  }

  /**
   * Retries the removal of one entry until its TTL has passed.
   *
   * @param key the entry's key
   * @param ttlMillis the entry's lifetime, or a non-positive number when unknown
   * @param cause what went wrong, for the WARN
   */
  public void removeKey(String key, long ttlMillis, RuntimeException cause) {
    add(new Target(Kind.KEY, key), ttlMillis, cause);
  }

  /** Retries the removal of a tag's entries; see {@link #removeKey}. */
  public void removeTag(String tag, RuntimeException cause) {
    add(new Target(Kind.TAG, tag), 0, cause);
  }

  /** Retries the removal of a namespace; see {@link #removeKey}. */
  public void removeNamespace(String prefix, RuntimeException cause) {
    add(new Target(Kind.NAMESPACE, prefix), 0, cause);
  }

  /** @return how many removals wait to be retried */
  public int pending() {
    return pending.size();
  }

  private void add(Target target, long ttlMillis, RuntimeException cause) {
    long lifetime = ttlMillis > 0 ? ttlMillis : unknownTtlMillis();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lifetime);
    boolean first;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (pending.size() >= MAX_PENDING && !pending.containsKey(target)) {
        dropped++;
        metrics.count("dropped");
        if (dropped == 1) {
          log.warn(
              "Weft cache: {} removals already wait for Redis; dropping the removal of {} (its"
                  + " entry may be served until its TTL); further drops are counted in"
                  + " weft.cache.retries{{outcome=dropped}}",
              MAX_PENDING, target);
        }
        return;
      }
      pending.merge(target, deadline, (a, b) -> b - a > 0 ? b : a);
      metrics.count("queued");
      first = !outage;
      outage = true;
    }
    if (first) {
      log.warn(
          "Weft cache: could not remove {} from Redis ({}); retrying in the background until it"
              + " is applied or the entry's TTL has passed (further failures are retried"
              + " silently, a summary follows)",
          target, cause.toString());
    }
    schedule(FIRST_DELAY_MILLIS);
  }

  private long unknownTtlMillis() {
    long longest = longestTtlMillis.get();
    return longest > 0 ? Math.min(longest, CAP_MILLIS) : CAP_MILLIS;
  }

  private synchronized void schedule(long delayMillis) {
    if (closed) {
      return;
    }
    long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    // A pass the saturated refresh pool discarded never clears the flag: reschedule past it.
    if (scheduled && scheduledAt - at <= 0
        && at - scheduledAt < TimeUnit.MILLISECONDS.toNanos(2 * MAX_DELAY_MILLIS)) {
      return;
    }
    scheduled = true;
    scheduledAt = at;
    long when = at;
    CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS, executor)
        .execute(() -> pass(when));
  }

  private void pass(long when) {
    synchronized (this) {
      if (closed || !scheduled || scheduledAt != when) {
        return;
      }
      scheduled = false;
    }
    boolean outageMet = false;
    synchronized (passLock) {
      if (redis.state() == RedisGateway.State.OPEN) {
        outageMet = true;
      } else {
        Iterator<Map.Entry<Target, Long>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
          Map.Entry<Target, Long> e = it.next();
          if (System.nanoTime() - e.getValue() >= 0) {
            if (pending.remove(e.getKey(), e.getValue())) {
              metrics.count("expired");
              synchronized (this) {
                expired++;
              }
            }
            continue;
          }
          try {
            apply(e.getKey());
            if (pending.remove(e.getKey(), e.getValue())) {
              metrics.count("succeeded");
              synchronized (this) {
                applied++;
              }
            }
          } catch (RedisException | WeftUnavailableException failure) {
            metrics.count("retried");
            if (failure instanceof dev.weft.internal.redis.RedisUnavailableException) {
              outageMet = true;
              break;
            }
            log.debug("Weft cache: retrying the removal of {} failed", e.getKey(), failure);
          } catch (RuntimeException bug) {
            pending.remove(e.getKey(), e.getValue());
            log.warn("Weft cache: the removal of {} failed; not retried", e.getKey(), bug);
          }
        }
      }
    }
    long delay;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (pending.isEmpty()) {
        summarize();
        return;
      }
      if (outageMet) {
        failedPasses = Math.min(failedPasses + 1, 30);
      } else {
        failedPasses = 0;
      }
      delay = delayMillis(failedPasses);
      if (outageMet && redis.state() == RedisGateway.State.OPEN) {
        delay = Math.max(delay, OPEN_BREAKER_WAIT_MILLIS);
      }
    }
    schedule(delay);
  }

  /** Guarded by this: the queue has drained, the outage is over. */
  private void summarize() {
    if (!outage) {
      return;
    }
    outage = false;
    failedPasses = 0;
    log.warn(
        "Weft cache: removals that failed are done: {} applied late, {} given up as their"
            + " entries expired, {} dropped for lack of room",
        applied, expired, dropped);
    applied = 0;
    expired = 0;
    dropped = 0;
  }

  private void apply(Target target) {
    switch (target.kind()) {
      case KEY -> EntryStore.delete(redis, target.name());
      case TAG -> EntryStore.deleteTag(redis, target.name());
      case NAMESPACE -> EntryStore.deleteNamespace(redis, target.name());
    }
  }

  /** @return the wait before pass {@code failed + 1}: exponential, capped, half of it jittered */
  static long delayMillis(int failed) {
    long full = Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << Math.min(failed, 20));
    return full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1);
  }

  @Override
  public void close() {
    int left;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      left = pending.size();
      pending.clear();
    }
    if (left > 0) {
      log.warn(
          "Weft cache: closing with {} removals still waiting for Redis; their entries may be"
              + " served until their TTL",
          left);
    }
  }

  /** The {@code weft.cache.retries} meter, when Micrometer is on the class path. */
  interface RetryMetrics {

    void count(String outcome);

    /** @param registry the runtime's {@code MeterRegistry}, or {@code null} for the global one */
    static RetryMetrics create(Object registry) {
      return dev.weft.internal.Micrometer.present() ? Meters.create(registry) : outcome -> {};
    }

    /** Only loaded when Micrometer is on the class path. */
    final class Meters implements RetryMetrics {
      private final Map<String, io.micrometer.core.instrument.Counter> counters =
          new ConcurrentHashMap<>();
      private final io.micrometer.core.instrument.MeterRegistry registry;

      private Meters(io.micrometer.core.instrument.MeterRegistry registry) {
        this.registry = registry;
      }

      static RetryMetrics create(Object registry) {
        return new Meters(dev.weft.internal.Micrometer.Registries.of(registry));
      }

      @Override
      public void count(String outcome) {
        counters
            .computeIfAbsent(outcome, o -> registry.counter("weft.cache.retries", "outcome", o))
            .increment();
      }
    }
  }
}
