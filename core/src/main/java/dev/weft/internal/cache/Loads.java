package dev.weft.internal.cache;

import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.redis.RedisGateway;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The loads of one cached method after a miss: who runs the method (one caller per key in this
 * process, one process per key across processes), the lease that makes invalidation win over a
 * load in flight, and the store that completes a load. {@link CacheAside}'s Stampedes and
 * Invalidation wins sections give the design; this class is their implementation.
 */
final class Loads {

  private static final Object NULL = new Object();
  /** Waiting for another process's load polls even while the feed is live; see Stampedes. */
  private static final KeyWaiter.Pace LOAD_PACE =
      new KeyWaiter.Pace(Duration.ofMillis(50), Duration.ofMillis(500), null);

  private final String method;
  private final CacheAside.Settings settings;
  private final ResultShape shape;
  private final EntryCodec codec;
  /** Whether each call's third argument is its entry's TTL; see {@link CacheAside#perCallTtl}. */
  private final boolean perCallTtl;
  private final CacheMetrics.ByRuntime metrics;
  private final FailureLog failures;
  private final Logger log;
  private final ConcurrentHashMap<String, CompletableFuture<Object>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicLong recentLoadNanos = new AtomicLong();

  Loads(
      String method, CacheAside.Settings settings, ResultShape shape, EntryCodec codec,
      boolean perCallTtl, CacheMetrics.ByRuntime metrics, FailureLog failures, Logger log) {
    this.method = method;
    this.settings = settings;
    this.shape = shape;
    this.codec = codec;
    this.perCallTtl = perCallTtl;
    this.metrics = metrics;
    this.failures = failures;
    this.log = log;
  }

  /** @return how long the method recently took to load, a moving average; 0 before any load */
  long recentLoadNanos() {
    return recentLoadNanos.get();
  }

  /**
   * A miss: waits while another caller (here or in another process) loads the key, or becomes its
   * loader.
   *
   * @return a hit, or a miss that {@link #loaded} or {@link #failed} must complete
   */
  CacheAside.Call loadOrWait(CacheRuntime runtime, String key, Object[] args) {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> leader = inFlight.putIfAbsent(key, mine);
    if (leader != null) {
      return followLocally(key, args, leader);
    }
    RedisGateway redis = runtime.redis();
    long leaseMillis = settings.loadTimeout().toMillis();
    KeyWaiter loaded =
        KeyWaiter.on(
            runtime.feed(), EntryStore.announced(redis, key),
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * leaseMillis), LOAD_PACE);
    String token = UUID.randomUUID().toString();
    try {
      for (int attempt = 0; ; attempt++) {
        if (EntryStore.tryLock(redis, key, token, leaseMillis)) {
          CacheAside.Call call = leased(redis, key, args, token, mine);
          if (call.hit) {
            EntryStore.unlock(redis, key, token);
          }
          return call;
        }
        loaded.listen();
        Object found = readPlain(redis, key);
        if (found != EntryCodec.MISS) {
          return hitShared(key, mine, found);
        }
        if (!loaded.await()) {
          log.warn(
              "{}: waited {} for another caller to load '{}'; running the method without the lock",
              method, Duration.ofMillis(2 * leaseMillis), key);
          return leased(redis, key, args, null, mine);
        }
        found = readPlain(redis, key);
        if (found != EntryCodec.MISS) {
          return hitShared(key, mine, found);
        }
      }
    } catch (RedisException | WeftUnavailableException e) {
      metrics.of(redis).error();
      failures.redisFailed("lock", key, e);
      return new CacheAside.Call(false, null, key, args, null, mine, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inFlight.remove(key, mine);
      mine.cancel(false);
      throw new IllegalStateException(method + ": interrupted while waiting for '" + key + "'", e);
    }
  }

  /**
   * A miss while Redis is unavailable: the callers of {@code key} in this process share one load
   * (the first runs the method, the others wait for its result), as they do when Redis answers.
   */
  CacheAside.Call loadLocally(String key, Object[] args) {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> leader = inFlight.putIfAbsent(key, mine);
    if (leader != null) {
      return followLocally(key, args, leader);
    }
    return new CacheAside.Call(false, null, key, args, null, mine, null, null);
  }

  /**
   * Takes this load's lease at the entry's key (see Invalidation wins): a hit if the key holds an
   * entry after all, else a miss whose store expects the marker (or the unreadable entry found,
   * which the store then overwrites if it is still there).
   */
  private CacheAside.Call leased(
      RedisGateway redis, String key, Object[] args, String token, CompletableFuture<Object> mine) {
    byte[] marker = EntryStore.newMarker();
    byte[] held = EntryStore.lease(redis, key, marker, markerTtlMillis());
    if (held == null) {
      try {
        EntryStore.addToTags(redis, key, settings.tags().render(args, null), markerTtlMillis());
      } catch (RedisException | WeftUnavailableException e) {
        metrics.of(redis).error();
        failures.redisFailed("tag the lease of", key, e);
        return new CacheAside.Call(false, null, key, args, token, mine, marker, null);
      }
      return new CacheAside.Call(false, null, key, args, token, mine, marker, marker);
    }
    Object found = codec.decode(key, held);
    if (found != EntryCodec.MISS) {
      return hitShared(key, mine, found);
    }
    return new CacheAside.Call(false, null, key, args, token, mine, null, held);
  }

  private Object readPlain(RedisGateway redis, String key) {
    byte[] bytes = EntryStore.getFromMaster(redis, key);
    return EntryStore.isEntry(bytes) ? codec.decode(key, bytes) : EntryCodec.MISS;
  }

  private CacheAside.Call hitShared(String key, CompletableFuture<Object> mine, Object value) {
    inFlight.remove(key, mine);
    mine.complete(value == null ? NULL : value);
    return CacheAside.Call.hit(shape.toReturn(value));
  }

  private CacheAside.Call followLocally(
      String key, Object[] args, CompletableFuture<Object> leader) {
    long waitMillis = 2 * settings.loadTimeout().toMillis() + 1_000;
    try {
      Object v = leader.get(waitMillis, TimeUnit.MILLISECONDS);
      return CacheAside.Call.hit(shape.toReturn(v == NULL ? null : v));
    } catch (ExecutionException e) {
      throw Sneaky.rethrow(e.getCause());
    } catch (TimeoutException | CancellationException e) {
      return new CacheAside.Call(false, null, key, args, null, null, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + ": interrupted while waiting for '" + key + "'", e);
    }
  }

  /** Completes a load that returned {@code value}: stores it if the lease still holds. */
  void loaded(CacheRuntime runtime, CacheAside.Call call, Object value) {
    RedisGateway redis = runtime.redis();
    long loadNanos = System.nanoTime() - call.startedNanos;
    metrics.of(redis).loaded(loadNanos, true);
    recentLoadNanos.set(
        recentLoadNanos.get() == 0 ? loadNanos : (recentLoadNanos.get() * 7 + loadNanos) / 8);
    boolean stored = false;
    try {
      if (call.expect != null && (!ResultShape.isAbsent(value) || settings.cacheNulls())) {
        byte[] bytes = codec.encode(value);
        long ttl = ttlMillis(call.args);
        stored =
            EntryStore.putIf(
                redis, call.key, bytes, ttl, settings.tags().render(call.args, value), call.expect);
        if (stored) {
          runtime.retries().stored(ttl);
        } else {
          log.debug("{}: '{}' was invalidated or rewritten while loading; not stored", method,
              call.key);
        }
      }
    } catch (RedisException | WeftUnavailableException e) {
      metrics.of(redis).error();
      failures.redisFailed("write", call.key, e);
    } finally {
      if (!stored) {
        abandon(runtime, call);
      }
      release(runtime, call);
      if (call.shared != null) {
        inFlight.remove(call.key, call.shared);
        call.shared.complete(value == null ? NULL : value);
      }
    }
  }

  /** Completes a load that threw: stores nothing, and hands the failure to local followers. */
  void failed(CacheRuntime runtime, CacheAside.Call call, Throwable thrown) {
    metrics.of(runtime.redis()).loaded(System.nanoTime() - call.startedNanos, false);
    abandon(runtime, call);
    release(runtime, call);
    if (call.shared != null) {
      inFlight.remove(call.key, call.shared);
      call.shared.completeExceptionally(thrown);
    }
  }

  private void release(CacheRuntime runtime, CacheAside.Call call) {
    if (call.token == null) {
      return;
    }
    try {
      EntryStore.unlock(runtime.redis(), call.key, call.token);
    } catch (RedisException | WeftUnavailableException e) {
      failures.redisFailed("release the load lock of", call.key, e);
    }
  }

  private void abandon(CacheRuntime runtime, CacheAside.Call call) {
    if (call.lease == null) {
      return;
    }
    try {
      EntryStore.abandon(runtime.redis(), call.key, call.lease);
    } catch (RedisException | WeftUnavailableException e) {
      failures.redisFailed("remove the lease marker of", call.key, e);
    }
  }

  /** A lease marker outlives any load worth storing: the entry's own lifetime, or the lease. */
  private long markerTtlMillis() {
    return Math.max(
        settings.ttl().plus(settings.staleWhileRevalidate()).toMillis(),
        settings.loadTimeout().toMillis());
  }

  private long ttlMillis(Object[] args) {
    Duration ttl =
        perCallTtl && args != null && args.length > 2 && args[2] instanceof Duration d
            ? d
            : settings.ttl();
    return EntryStore.ttlMillis(ttl.plus(settings.staleWhileRevalidate()), settings.jitter());
  }
}
