package dev.weft.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.redis.RedisGateway;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache-aside for one {@code @Cached} method, in two halves: {@link #begin} looks the entry up
 * and, on a miss, arranges that exactly one caller loads it; {@link #finish} stores what the
 * loader returned. Weaving adapters call them around the method body.
 *
 * <h2>Reads</h2>
 *
 * A hit is one plain {@code GET}: a read needs no atomicity, and running it as a script cost 13%
 * of hit throughput (docs/benchmarks.md). Methods with stale-while-revalidate or early refresh
 * read value and remaining lifetime together with the {@code cache_read} script.
 *
 * <h2>Stampedes</h2>
 *
 * When many callers miss one key at once, the method must run once, not once per caller. Within
 * a process, callers of a key share one in-flight future: only the first goes on to Redis. Across
 * processes, that caller takes the key's load lock ({@code SET NX PX}, leased for
 * {@code loadTimeout}); the others wait for the change feed to announce the key (the loader's
 * store or release publishes it), with a fallback poll that backs off from 50 to 500 ms, so
 * waiters neither spin nor hold a subscription each. A loader that crashes or hangs blocks the
 * key for at most its lease: the next attempt takes the lock. A loader that throws stores
 * nothing, releases the lock at once and hands its exception to its local followers; remote
 * waiters then take the lock in turn. A waiter never waits longer than twice the lease; then it
 * runs the method itself.
 *
 * <h2>Invalidation wins</h2>
 *
 * A load that read the database before an invalidation must not store its result after it. The
 * loader holds a lease at the entry's key while the method runs (memcache's leases, Nishtala et
 * al., "Scaling Memcache at Facebook", NSDI 2013, section 3.2.1; the layout is {@link
 * EntryStore}'s): taking the load lock, it puts its lease marker where the entry would be, and
 * stores only if the marker is still there. An invalidation removes the marker, a write-through
 * replaces it, and the store is refused: the caller gets the loaded value, uncached, and the next
 * call loads again. The key joins its tags' indexes when the lease is taken ({@code @Cached} tags
 * never name the result), so removing a tag removes the markers of its loads in flight too. A
 * background refresh stores only over the stale value it read. Loads that
 * hold no lease (Redis failed at their start, or a local follower gave up waiting) store nothing.
 *
 * <h2>Staleness</h2>
 *
 * With {@code staleWhileRevalidate} an entry lives {@code ttl + window}; once its fresh part has
 * passed, callers get the stale value at once while the one caller that takes the load lock
 * refreshes it on a background thread. With {@code earlyRefresh}, a caller refreshes a fresh
 * entry early with probability given by XFetch (Vattani, Chierichetti, Lowenstein, "Optimal
 * Probabilistic Cache Stampede Prevention", VLDB 2015): refresh when
 * {@code -delta * ln(U) >= remaining}, where delta is how long the method recently took to load.
 *
 * <h2>Near cache</h2>
 *
 * With {@code near}, decoded values are also kept in a bounded Caffeine cache, trusted only while
 * the change feed is live. A value read from Redis is kept locally only if no change of its key
 * (striped counters) arrived while it was being read, so a concurrent write can never leave an
 * older value behind. Values are shared between callers: cache immutable types. A near hit is
 * the hot path of a near-cached method and is kept free of work that can be done once: its local
 * key is the text of the key template's one placeholder where there is one (the literal rest is
 * the same for every call; a {@code String} argument is its own text), so no key is rendered; and
 * the hit object kept for a key is handed to every call it serves, so a hit of a value that is
 * not a future allocates nothing. {@link #nearHit} serves callers that do nothing before the
 * lookup.
 *
 * <h2>Failures</h2>
 *
 * Caching fails open: when Redis is unreachable, slow or answers an error, the lookup counts as a
 * miss, waiting for other processes and locking are skipped, and the caller gets the method's
 * real result. Callers of one key in one process still share one load then (the in-flight future
 * of "Stampedes"): an outage must not turn a stampede on Redis into one on the database. An entry
 * that no longer reads as the declared type is a miss and is overwritten. A result that cannot be
 * written as JSON is a programming error and is thrown, naming the method and type.
 */
public final class CacheAside {

  private static final Logger log = LoggerFactory.getLogger(CacheAside.class);
  private static final Object NULL = new Object();
  private static final int STRIPES = 1024;
  /** Waiting for another process's load polls even while the feed is live; see Stampedes. */
  private static final KeyWaiter.Pace LOAD_PACE =
      new KeyWaiter.Pace(Duration.ofMillis(50), Duration.ofMillis(500), null);

  /** Settings of one cached method, parsed once. */
  public record Settings(
      KeyTemplate key,
      Tags tags,
      Duration ttl,
      Duration jitter,
      boolean cacheNulls,
      Duration staleWhileRevalidate,
      boolean earlyRefresh,
      boolean near,
      Duration loadTimeout) {}

  private final String method;
  private final Settings settings;
  private final ResultShape shape;
  private final TypedCodec codec;
  /** Whether each call's third argument is its entry's TTL; see {@link #perCallTtl}. */
  private final boolean perCallTtl;
  private final FailureLog failures;
  private final CacheMetrics metrics;
  private final ConcurrentHashMap<String, CompletableFuture<Object>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicLong recentLoadNanos = new AtomicLong();
  private final Cache<String, Call> local;
  private final boolean localByPlaceholder;
  private final AtomicLongArray changes;
  private volatile ChangeFeed listeningTo;

  /**
   * @param method the annotated method as people read it, for messages
   * @param settings the parsed annotation
   * @param shape what the method returns
   * @param codec the codec for stored values
   */
  public CacheAside(String method, Settings settings, ResultShape shape, TypedCodec codec) {
    this(method, settings, shape, codec, false);
  }

  /**
   * A cache-aside whose calls each say their entry's TTL, as their third argument (a {@link
   * Duration}), instead of {@link Settings#ttl()}: {@code Weft.cached(key, ttl, ...)} keeps one
   * such cache per value type, however many TTLs its callers compute, so that neither the caches
   * nor their meters grow with them.
   *
   * @param method the cache's name, for messages and metrics
   * @param settings the settings; {@code ttl} is used by calls that carry none
   * @param shape what the loader returns
   * @param codec the codec for stored values
   * @return the cache-aside
   */
  public static CacheAside perCallTtl(
      String method, Settings settings, ResultShape shape, TypedCodec codec) {
    return new CacheAside(method, settings, shape, codec, true);
  }

  private CacheAside(
      String method, Settings settings, ResultShape shape, TypedCodec codec, boolean perCallTtl) {
    this.perCallTtl = perCallTtl;
    this.method = method;
    this.settings = settings;
    this.shape = shape;
    this.codec = codec;
    this.failures = new FailureLog(log, method);
    this.metrics = CacheMetrics.forCache(method);
    if (settings.near()) {
      this.local =
          Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(settings.ttl()).build();
      this.changes = new AtomicLongArray(STRIPES);
    } else {
      this.local = null;
      this.changes = null;
    }
    this.localByPlaceholder = settings.key().hasOnePlaceholder();
  }

  /** Finds the tags a stored entry carries. */
  @FunctionalInterface
  public interface Tags {
    /**
     * @param args the call's arguments
     * @param value the value being stored
     * @return the entry's tags, never {@code null}
     */
    List<String> render(Object[] args, Object value);

    /**
     * @param templates an annotation's tag templates
     * @return tags rendered from the templates, in order
     */
    static Tags of(List<KeyTemplate> templates) {
      if (templates.isEmpty()) {
        return (args, value) -> List.of();
      }
      return (args, value) -> {
        List<String> tags = new ArrayList<>(templates.size());
        for (KeyTemplate tag : templates) {
          tags.add(tag.render(args, value));
        }
        return tags;
      };
    }
  }

  /** Runs the cached method again, without its own lookup, for a background refresh. */
  @FunctionalInterface
  public interface Reloader {
    /**
     * @param target the receiver of the original call, {@code null} for static methods
     * @param args the original call's arguments
     * @return the method's fresh result
     * @throws RefreshSkipped if the method did not run and there is nothing to store
     * @throws Exception what the method throws
     */
    Object reload(Object target, Object[] args) throws Exception;
  }

  /**
   * Thrown by a {@link Reloader} whose method was skipped by one of its own steps (a lock taken
   * elsewhere, with {@code onLocked = SKIP}): the refresh stores nothing and the stale value stays,
   * as after a failure, but this is no failure and is logged at DEBUG.
   */
  public static final class RefreshSkipped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message why the method did not run */
    public RefreshSkipped(String message) {
      super(message, null, false, false);
    }
  }

  /** The outcome of {@link #begin}. */
  public static final class Call {
    final boolean hit;
    final Object value;
    final String key;
    final Object[] args;
    final String token;
    final CompletableFuture<Object> shared;
    final long startedNanos;
    /** This load's lease marker at the entry's key, or {@code null}: removed if nothing is stored. */
    final byte[] lease;
    /** What the key must still hold for the store to happen; {@code null}: store nothing. */
    final byte[] expect;
    // What the weaving layer wraps this hit in (MethodPlan's CallScope). A hit kept in the near
    // cache serves every call of its key, so its wrapper is made once, by the first call that needs
    // it. Set without synchronisation, as String.hash is: two racing calls make equal immutable
    // wrappers, and either may win.
    private Object wrapper;

    private Call(
        boolean hit, Object value, String key, Object[] args, String token,
        CompletableFuture<Object> shared, byte[] lease, byte[] expect) {
      this.hit = hit;
      this.lease = lease;
      this.expect = expect;
      this.value = value;
      this.key = key;
      this.args = args;
      this.token = token;
      this.shared = shared;
      this.startedNanos = hit ? 0 : System.nanoTime();
    }

    static Call hit(Object value) {
      return new Call(true, value, null, null, null, null, null, null);
    }

    /** @return whether the result is known and the method body must not run */
    public boolean hit() {
      return hit;
    }

    /** @return the value the call returns on a hit, shaped as the method returns it */
    public Object value() {
      return value;
    }

    /** @return what {@link #wrapper(Object)} was given, or {@code null} */
    public Object wrapper() {
      return wrapper;
    }

    /**
     * @param wrapper an immutable object (final fields only) that the weaving layer wraps this hit
     *     in, to be reused by later calls that this hit serves
     */
    public void wrapper(Object wrapper) {
      this.wrapper = wrapper;
    }
  }

  /** @return how long a load may hold the key's load lock */
  public Duration loadTimeout() {
    return settings.loadTimeout();
  }

  /** @return whether the method keeps a near cache */
  public boolean near() {
    return local != null;
  }

  /**
   * The near cache's answer alone, for a call that has nothing else to do before its lookup: no
   * key is rendered and nothing is allocated for a value that is not a future, because the hit
   * kept for a key is returned to every call it serves.
   *
   * @param runtime the cache runtime
   * @param args the call's arguments
   * @return the hit, or {@code null} when the method has no near cache, the near cache is not
   *     trusted now (change feed down) or does not hold the entry: then {@link #begin} decides
   */
  public Call nearHit(CacheRuntime runtime, Object[] args) {
    if (local == null) {
      return null;
    }
    ChangeFeed feed = runtime.feed();
    listenTo(feed);
    if (!feed.live()) {
      return null;
    }
    Call kept = local.getIfPresent(localKey(args));
    if (kept == null) {
      return null;
    }
    metrics.hit();
    return served(kept);
  }

  /**
   * Looks the entry up; on a miss, waits while another caller loads it, or becomes the loader.
   *
   * @param runtime the cache runtime
   * @param args the call's arguments
   * @param target the call's receiver, {@code null} for static methods
   * @param reload runs the method again, without this lookup, for background refreshes
   * @return a hit with the value to return, or a miss that {@link #finish} must complete
   */
  public Call begin(CacheRuntime runtime, Object target, Object[] args, Reloader reload) {
    String localKey = null;
    if (local != null) {
      listenTo(runtime.feed());
      if (runtime.feed().live()) {
        localKey = localKey(args);
        Call kept = local.getIfPresent(localKey);
        if (kept != null) {
          metrics.hit();
          return served(kept);
        }
      }
    }
    String key =
        localKey == null || localByPlaceholder ? settings.key().render(args) : localKey;
    long stamp = 0;
    if (local != null) {
      stamp = localKey != null ? changes.get(stripe(key)) : -1;
    }
    Object found;
    try {
      found = read(runtime, key, target, args, reload);
    } catch (RedisException | WeftUnavailableException e) {
      metrics.error();
      metrics.miss();
      failures.redisFailed("read", key, e);
      return loadLocally(key, args);
    }
    if (found != MISS) {
      metrics.hit();
      keepLocally(localKey, key, found, stamp);
      return Call.hit(shape.toReturn(found));
    }
    metrics.miss();
    return loadOrWait(runtime, key, args);
  }

  /**
   * Completes a miss: stores what the method returned (or, for a future, what it completes with)
   * and wakes whoever waits for it.
   *
   * @param runtime the cache runtime
   * @param call what {@link #begin} returned
   * @param returned what the method returned
   * @param thrown what the method threw, or {@code null}
   * @return what the call returns
   */
  public Object finish(CacheRuntime runtime, Call call, Object returned, Throwable thrown) {
    if (thrown != null) {
      failed(runtime, call, thrown);
      return returned;
    }
    if (shape.future() && returned instanceof CompletableFuture<?> future) {
      future.whenComplete(
          (value, error) -> {
            if (error != null) {
              failed(runtime, call, error);
            } else {
              loaded(runtime, call, value);
            }
          });
      return returned;
    }
    loaded(runtime, call, returned);
    return returned;
  }

  private static final Object MISS = new Object();

  private Object read(
      CacheRuntime runtime, String key, Object target, Object[] args, Reloader reload) {
    RedisGateway redis = runtime.redis();
    boolean timed = !settings.staleWhileRevalidate().isZero() || settings.earlyRefresh();
    if (!timed) {
      byte[] bytes = EntryStore.get(redis, key);
      return bytes == null || (bytes.length > 0 && bytes[0] == EntryStore.MARKER)
          ? MISS
          : decode(key, bytes);
    }
    EntryStore.Timed entry = EntryStore.getWithTtl(redis, key);
    if (entry == null) {
      return MISS;
    }
    Object value = decode(key, entry.value());
    if (value == MISS) {
      return MISS;
    }
    long freshMillis = entry.pttlMillis() - settings.staleWhileRevalidate().toMillis();
    if (freshMillis <= 0) {
      metrics.staleServed();
    }
    if (freshMillis <= 0 || (settings.earlyRefresh() && xfetch(freshMillis))) {
      refreshInBackground(runtime, key, entry.value(), target, args, reload);
    }
    return value;
  }

  private boolean xfetch(long freshMillis) {
    double deltaMillis = recentLoadNanos.get() / 1e6;
    if (deltaMillis <= 0) {
      return false;
    }
    double u = ThreadLocalRandom.current().nextDouble();
    return -deltaMillis * Math.log(u) >= freshMillis;
  }

  private void refreshInBackground(
      CacheRuntime runtime, String key, byte[] stale, Object target, Object[] args,
      Reloader reload) {
    String token = UUID.randomUUID().toString();
    if (!EntryStore.tryLock(runtime.redis(), key, token, settings.loadTimeout().toMillis())) {
      return;
    }
    Call call = new Call(false, null, key, args, token, null, null, stale);
    runtime.refreshInBackground(
        () -> {
          try {
            Object result = reload.reload(target, args);
            if (shape.future() && result instanceof CompletableFuture<?> f) {
              result = f.join();
            }
            loaded(runtime, call, result);
          } catch (Exception | Error e) {
            if (e instanceof RefreshSkipped) {
              log.debug("{}: background refresh of '{}' skipped ({}); the stale value stays",
                  method, key, e.getMessage());
            } else if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
              log.debug("{}: background refresh of '{}' interrupted (shutting down)", method, key);
            } else {
              log.warn("{}: background refresh of '{}' failed; the stale value stays", method, key, e);
            }
            failed(runtime, call, e);
          }
        });
  }

  private Call loadOrWait(CacheRuntime runtime, String key, Object[] args) {
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
          Call call = leased(redis, key, args, token, mine);
          if (call.hit) {
            EntryStore.unlock(redis, key, token);
          }
          return call;
        }
        loaded.listen();
        Object found = readPlain(redis, key);
        if (found != MISS) {
          return hitShared(key, mine, found);
        }
        if (!loaded.await()) {
          log.warn(
              "{}: waited {} for another caller to load '{}'; running the method without the lock",
              method, Duration.ofMillis(2 * leaseMillis), key);
          return leased(redis, key, args, null, mine);
        }
        found = readPlain(redis, key);
        if (found != MISS) {
          return hitShared(key, mine, found);
        }
      }
    } catch (RedisException | WeftUnavailableException e) {
      metrics.error();
      failures.redisFailed("lock", key, e);
      return new Call(false, null, key, args, null, mine, null, null);
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
  private Call loadLocally(String key, Object[] args) {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> leader = inFlight.putIfAbsent(key, mine);
    if (leader != null) {
      return followLocally(key, args, leader);
    }
    return new Call(false, null, key, args, null, mine, null, null);
  }

  /**
   * Takes this load's lease at the entry's key (see Invalidation wins): a hit if the key holds an
   * entry after all, else a miss whose store expects the marker (or the unreadable entry found,
   * which the store then overwrites if it is still there).
   */
  private Call leased(
      RedisGateway redis, String key, Object[] args, String token, CompletableFuture<Object> mine) {
    byte[] marker = EntryStore.newMarker();
    byte[] held = EntryStore.lease(redis, key, marker, markerTtlMillis());
    if (held == null) {
      try {
        EntryStore.addToTags(redis, key, settings.tags().render(args, null), markerTtlMillis());
      } catch (RedisException | WeftUnavailableException e) {
        metrics.error();
        failures.redisFailed("tag the lease of", key, e);
        return new Call(false, null, key, args, token, mine, marker, null);
      }
      return new Call(false, null, key, args, token, mine, marker, marker);
    }
    Object found = decode(key, held);
    if (found != MISS) {
      return hitShared(key, mine, found);
    }
    return new Call(false, null, key, args, token, mine, null, held);
  }

  private Object readPlain(RedisGateway redis, String key) {
    byte[] bytes = EntryStore.getFromMaster(redis, key);
    return EntryStore.isEntry(bytes) ? decode(key, bytes) : MISS;
  }

  private Call hitShared(String key, CompletableFuture<Object> mine, Object value) {
    inFlight.remove(key, mine);
    mine.complete(value == null ? NULL : value);
    return Call.hit(shape.toReturn(value));
  }

  private Call followLocally(String key, Object[] args, CompletableFuture<Object> leader) {
    long waitMillis = 2 * settings.loadTimeout().toMillis() + 1_000;
    try {
      Object v = leader.get(waitMillis, TimeUnit.MILLISECONDS);
      return Call.hit(shape.toReturn(v == NULL ? null : v));
    } catch (ExecutionException e) {
      throw Sneaky.rethrow(e.getCause());
    } catch (TimeoutException | java.util.concurrent.CancellationException e) {
      return new Call(false, null, key, args, null, null, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + ": interrupted while waiting for '" + key + "'", e);
    }
  }

  private void loaded(CacheRuntime runtime, Call call, Object value) {
    RedisGateway redis = runtime.redis();
    long loadNanos = System.nanoTime() - call.startedNanos;
    metrics.loaded(loadNanos, true);
    recentLoadNanos.set(
        recentLoadNanos.get() == 0 ? loadNanos : (recentLoadNanos.get() * 7 + loadNanos) / 8);
    boolean stored = false;
    try {
      if (call.expect != null && (!ResultShape.isAbsent(value) || settings.cacheNulls())) {
        byte[] bytes = encode(value);
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
      metrics.error();
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

  private void failed(CacheRuntime runtime, Call call, Throwable thrown) {
    metrics.loaded(System.nanoTime() - call.startedNanos, false);
    abandon(runtime, call);
    release(runtime, call);
    if (call.shared != null) {
      inFlight.remove(call.key, call.shared);
      call.shared.completeExceptionally(thrown);
    }
  }

  private void release(CacheRuntime runtime, Call call) {
    if (call.token == null) {
      return;
    }
    try {
      EntryStore.unlock(runtime.redis(), call.key, call.token);
    } catch (RedisException | WeftUnavailableException e) {
      failures.redisFailed("release the load lock of", call.key, e);
    }
  }

  private void abandon(CacheRuntime runtime, Call call) {
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

  private byte[] encode(Object value) {
    try {
      return codec.encode(value);
    } catch (IOException e) {
      throw new WeftConfigurationException(
          "@Cached on " + method + ": the result cannot be written as " + codec.typeName()
              + " (" + e.getMessage() + "); make the type serializable by the runtime's"
              + " codec (by Jackson: public getters or fields, a record) or remove @Cached",
          e);
    }
  }

  private Object decode(String key, byte[] bytes) {
    try {
      return codec.decode(bytes);
    } catch (IOException e) {
      log.warn(
          "{}: the entry '{}' does not read as {} ({}); treating it as a miss and overwriting it",
          method, key, codec.typeName(), e.getMessage());
      return MISS;
    }
  }

  private void keepLocally(String localKey, String key, Object value, long stamp) {
    if (local == null || stamp < 0) {
      return;
    }
    if (changes.get(stripe(key)) == stamp) {
      local.put(localKey, Call.hit(value));
      if (changes.get(stripe(key)) != stamp) {
        local.invalidate(localKey);
      }
    }
  }

  /**
   * The near cache's key for a call: the text of the key template's one placeholder when it has
   * one (the rest of the key is the same for every call, so the text alone names the entry, and a
   * {@code String} argument is its own text), else the rendered key.
   */
  private String localKey(Object[] args) {
    return localByPlaceholder
        ? settings.key().placeholderText(args)
        : settings.key().render(args);
  }

  /** @return the near cache's key for an entry's key, or {@code null} if no call renders it */
  private String localKeyOf(String key) {
    return localByPlaceholder ? settings.key().placeholderTextOf(key) : key;
  }

  /** A kept hit holds the stored value; a future-returning method gets a new future of it. */
  private Call served(Call kept) {
    return shape.future() ? Call.hit(shape.toReturn(kept.value)) : kept;
  }

  private static int stripe(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }

  private void listenTo(ChangeFeed feed) {
    if (listeningTo == feed) {
      return;
    }
    synchronized (this) {
      if (listeningTo != feed) {
        if (listeningTo != null) {
          listeningTo.unlisten(nearListener);
        }
        local.invalidateAll();
        feed.listen(nearListener);
        listeningTo = feed;
      }
    }
  }

  private final ChangeFeed.Listener nearListener =
      new ChangeFeed.Listener() {
        @Override
        public void changed(String key) {
          changes.incrementAndGet(stripe(key));
          String localKey = localKeyOf(key);
          if (localKey != null) {
            local.invalidate(localKey);
          }
        }

        @Override
        public void reset() {
          for (int i = 0; i < STRIPES; i++) {
            changes.incrementAndGet(i);
          }
          local.invalidateAll();
        }
      };
}
