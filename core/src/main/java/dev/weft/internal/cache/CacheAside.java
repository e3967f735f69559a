package dev.weft.internal.cache;

import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.redis.RedisGateway;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * <h2>Parts</h2>
 *
 * This class is the read path: it asks the near tier ({@link NearTier}), then Redis, and hands a
 * miss on. Each other job has a class of its own, holding its own state: {@link Loads} (who loads
 * a missed key, its lease, and the store), {@link Refreshes} (stale and early refresh),
 * {@link NearTier} (the local copies and their coherence) and {@link EntryCodec} (values as
 * bytes). None of them knows how it is woven: a call's outcome ({@link Call}) is the cache's own.
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

  /** The logger of every part of a cache-aside, so that its lines read as one class's. */
  static final Logger log = LoggerFactory.getLogger(CacheAside.class);

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

  private final Settings settings;
  private final ResultShape shape;
  private final EntryCodec codec;
  private final FailureLog failures;
  private final CacheMetrics metrics;
  private final Loads loads;
  private final Refreshes refreshes;
  /** The near tier, or {@code null} without {@code near}. */
  private final NearTier near;

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
    this.settings = settings;
    this.shape = shape;
    this.codec = new EntryCodec(method, codec, log);
    this.failures = new FailureLog(log, method);
    this.metrics = CacheMetrics.forCache(method);
    this.loads =
        new Loads(method, settings, shape, this.codec, perCallTtl, metrics, failures, log);
    this.refreshes = new Refreshes(method, settings, shape, loads, log);
    this.near = settings.near() ? new NearTier(settings.key(), settings.ttl()) : null;
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

  /**
   * The outcome of {@link #begin}: a hit, whose value the call returns, or a miss, which {@link
   * #finish} completes. A hit kept in the near tier is handed to every call it serves, so it is
   * immutable.
   */
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

    Call(
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
  }

  /** @return how long a load may hold the key's load lock */
  public Duration loadTimeout() {
    return settings.loadTimeout();
  }

  /** @return whether the method keeps a near cache */
  public boolean near() {
    return near != null;
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
    if (near == null || !near.trusted(runtime.feed())) {
      return null;
    }
    Call kept = near.get(near.localKey(args));
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
    if (near != null && near.trusted(runtime.feed())) {
      localKey = near.localKey(args);
      Call kept = near.get(localKey);
      if (kept != null) {
        metrics.hit();
        return served(kept);
      }
    }
    String key =
        localKey == null || near.keysByPlaceholder() ? settings.key().render(args) : localKey;
    long stamp = 0;
    if (near != null) {
      stamp = localKey != null ? near.stamp(key) : -1;
    }
    Object found;
    try {
      found = read(runtime, key, target, args, reload);
    } catch (RedisException | WeftUnavailableException e) {
      metrics.error();
      metrics.miss();
      failures.redisFailed("read", key, e);
      return loads.loadLocally(key, args);
    }
    if (found != EntryCodec.MISS) {
      metrics.hit();
      if (near != null && stamp >= 0) {
        near.keep(localKey, key, found, stamp);
      }
      return Call.hit(shape.toReturn(found));
    }
    metrics.miss();
    return loads.loadOrWait(runtime, key, args);
  }

  /** What {@link #peek} returns when the cache holds nothing for the key. */
  public static final Object ABSENT = EntryCodec.MISS;

  /**
   * Looks the entry up without loading it: the near tier, then Redis. A load's lease marker, an
   * entry that does not read as the declared type, and a failed read (fail open) are all absent;
   * an entry in its stale window is served as it is, without starting a refresh.
   *
   * @param runtime the cache runtime
   * @param args the call's arguments
   * @return the stored value (may be {@code null}, a cached {@code null}), or {@link #ABSENT}
   */
  public Object peek(CacheRuntime runtime, Object[] args) {
    String localKey = null;
    if (near != null && near.trusted(runtime.feed())) {
      localKey = near.localKey(args);
      Call kept = near.get(localKey);
      if (kept != null) {
        metrics.hit();
        return kept.value;
      }
    }
    String key =
        localKey == null || near.keysByPlaceholder() ? settings.key().render(args) : localKey;
    long stamp = localKey != null ? near.stamp(key) : -1;
    Object found;
    try {
      byte[] bytes = EntryStore.get(runtime.redis(), key);
      found = EntryStore.isEntry(bytes) ? codec.decode(key, bytes) : EntryCodec.MISS;
    } catch (RedisException | WeftUnavailableException e) {
      metrics.error();
      failures.redisFailed("read", key, e);
      found = EntryCodec.MISS;
    }
    if (found == EntryCodec.MISS) {
      metrics.miss();
      return ABSENT;
    }
    metrics.hit();
    if (stamp >= 0) {
      near.keep(localKey, key, found, stamp);
    }
    return found;
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
      loads.failed(runtime, call, thrown);
      return returned;
    }
    if (shape.future() && returned instanceof CompletableFuture<?> future) {
      future.whenComplete(
          (value, error) -> {
            if (error != null) {
              loads.failed(runtime, call, error);
            } else {
              loads.loaded(runtime, call, value);
            }
          });
      return returned;
    }
    loads.loaded(runtime, call, returned);
    return returned;
  }

  private Object read(
      CacheRuntime runtime, String key, Object target, Object[] args, Reloader reload) {
    RedisGateway redis = runtime.redis();
    boolean timed = !settings.staleWhileRevalidate().isZero() || settings.earlyRefresh();
    if (!timed) {
      byte[] bytes = EntryStore.get(redis, key);
      return bytes == null || (bytes.length > 0 && bytes[0] == EntryStore.MARKER)
          ? EntryCodec.MISS
          : codec.decode(key, bytes);
    }
    EntryStore.Timed entry = EntryStore.getWithTtl(redis, key);
    if (entry == null) {
      return EntryCodec.MISS;
    }
    Object value = codec.decode(key, entry.value());
    if (value == EntryCodec.MISS) {
      return EntryCodec.MISS;
    }
    long freshMillis = entry.pttlMillis() - settings.staleWhileRevalidate().toMillis();
    if (freshMillis <= 0) {
      metrics.staleServed();
    }
    if (freshMillis <= 0 || (settings.earlyRefresh() && refreshes.early(freshMillis))) {
      refreshes.start(runtime, key, entry.value(), target, args, reload);
    }
    return value;
  }

  /** A kept hit holds the stored value; a future-returning method gets a new future of it. */
  private Call served(Call kept) {
    return shape.future() ? Call.hit(shape.toReturn(kept.value)) : kept;
  }
}
