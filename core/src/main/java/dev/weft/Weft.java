package dev.weft;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.bloom.BloomFilter;
import dev.weft.bloom.BloomOptions;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.codec.ValueCodec;
import dev.weft.counter.Counter;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.UniqueCounter;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.NamedRuntimes;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.cache.BulkCache;
import dev.weft.internal.cache.CacheAside;
import dev.weft.internal.cache.CacheRuntime;
import dev.weft.internal.cache.EntryStore;
import dev.weft.internal.cache.ProgrammaticCache;
import dev.weft.internal.cache.ResultShape;
import dev.weft.internal.codec.JsonCodec;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.lock.EngineLock;
import dev.weft.internal.lock.LockEngine;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.redis.ConnectionOptions;
import dev.weft.internal.redis.GatewaySettings;
import dev.weft.internal.redis.KeySpace;
import dev.weft.internal.redis.RedisConnections;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.RedisTimeouts;
import dev.weft.internal.redis.RedisUrls;
import dev.weft.internal.redis.Secrets;
import dev.weft.leaderboard.Leaderboard;
import dev.weft.leaderboard.LeaderboardOptions;
import dev.weft.lock.LockOptions;
import dev.weft.lock.WeftLock;
import dev.weft.pubsub.Publisher;
import dev.weft.pubsub.Subscriber;
import dev.weft.queue.QueueOptions;
import dev.weft.queue.ReliableQueue;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimiter;
import dev.weft.session.SessionOptions;
import dev.weft.session.Sessions;
import dev.weft.stream.StreamConsumers;
import dev.weft.stream.StreamProducer;
import dev.weft.syntax.DurationSyntax;
import dev.weft.writebehind.Persister;
import dev.weft.writebehind.WriteBehind;
import dev.weft.writebehind.WriteBehindOptions;
import dev.weft.syntax.DurationSyntax;
import dev.weft.syntax.NameSyntax;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Weft runtime: one Redis connection and everything woven methods need to use it.
 *
 * <p>Woven methods use the {@linkplain #global() global runtime}, which is created at the first
 * call from the environment ({@code WEFT_REDIS_URL}, else {@code REDIS_URL}, else the system
 * property {@code weft.redis.url}, else {@code redis://localhost:6379}). An application that wants
 * another configuration builds its own and {@linkplain #install installs} it at start-up:
 *
 * <pre>{@code
 * Weft.install(Weft.builder().redisUrl("redis://cache:6379").commandTimeout(Duration.ofMillis(500)).build());
 * }</pre>
 *
 * <p>A process may hold several runtimes, for two Redis deployments or two key prefixes. One built
 * with a {@linkplain Builder#name name} is what woven methods whose annotations name it use
 * ({@code @Cached(key = "invoice:{id}", runtime = "billing")}); the others keep the global one:
 *
 * <pre>{@code
 * Weft billing = Weft.builder().name("billing").redisUrl("redis://billing-redis:6379").build();
 * }</pre>
 *
 * <p>A runtime checks its Redis URLs when it is created: one that cannot be parsed is a {@link
 * WeftConfigurationException} naming the setting and the fix (percent-encode {@code ^} as {@code
 * %5E}, {@code %} as {@code %25}, ...), never the password. If the global runtime cannot be
 * created, the failure is logged once at ERROR and every call that needs it (every woven call)
 * throws a {@link WeftConfigurationException} with the same message, until a runtime is
 * {@linkplain #install installed}; the environment is not read again.
 *
 * <p>Creating a runtime never blocks: it starts connecting at once, on a thread of its own.
 * Calls that arrive while that first connect is under way wait for it, up to the {@linkplain
 * Builder#connectTimeout(Duration) connect timeout}, rather than take their failure policy (see
 * {@code RedisGateway}). It is thread-safe; close it at shutdown.
 *
 * <p>Every pattern comes from a runtime, each with one immutable options object that starts from
 * {@code XOptions.defaults()} and takes durations as {@link Duration} or as the annotations' text
 * ({@code "30s"}):
 *
 * <ul>
 *   <li>{@link #cache cache} and {@link #cached cached}, {@link #lock lock},
 *       {@link #rateLimiter rateLimiter}: what {@code @Cached}, {@code @DistributedLock} and
 *       {@code @RateLimited} do;
 *   <li>{@link #counter counter}, {@link #uniqueCounter uniqueCounter}, {@link #leaderboard
 *       leaderboard}, {@link #bloomFilter bloomFilter}, {@link #sessions sessions};
 *   <li>{@link #queue queue}, {@link #streamProducer streamProducer} and {@link #streamConsumers
 *       streamConsumers}, {@link #publisher publisher} and {@link #subscriber subscriber},
 *       {@link #writeBehind writeBehind}.
 * </ul>
 *
 * <pre>{@code
 * RateLimiter api = weft.rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, 10, "1s"));
 * ReliableQueue<Job> jobs = weft.queue("jobs", Job.class, QueueOptions.defaults().visibilityTimeout("5m"));
 * }</pre>
 */
public final class Weft implements AutoCloseable {

  /** Default time one Redis command may take before the call goes on without the cache. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);

  /**
   * Default time opening a connection to Redis may take, and calls wait for the runtime's first
   * connect.
   */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Default bound on the values each near cache keeps ({@link Builder#nearCacheSize(int)}). */
  public static final int DEFAULT_NEAR_CACHE_SIZE = 10_000;

  /** Default time the circuit breaker stays open ({@link Builder#breakerOpenWait(Duration)}). */
  public static final Duration DEFAULT_BREAKER_OPEN_WAIT = Duration.ofSeconds(1);

  private static final Object GLOBAL_LOCK = new Object();

  /**
   * What Weft's internals may reach of a runtime; {@link WeftAccess} calls this, the one way to
   * them, which no code outside weft-core can call.
   */
  private static WeftAccess.Internals internals() {
    return new WeftAccess.Internals() {
      @Override
      public RedisGateway redis(Weft weft) {
        return weft.redis;
      }

      @Override
      public CacheRuntime cache(Weft weft) {
        return weft.cache;
      }

      @Override
      public LockEngine locks(Weft weft) {
        return weft.locks;
      }
    };
  }

  private static final Logger log = LoggerFactory.getLogger(Weft.class);

  private static volatile Weft global;
  /** Why the global runtime could not be created from the environment; guarded by GLOBAL_LOCK. */
  private static WeftConfigurationException globalFailure;

  private final RedisConnections connections;
  private final RedisGateway redis;
  private final CacheRuntime cache;
  private final LockEngine locks;
  private final ConcurrentHashMap<Object, ProgrammaticCache<?>> caches = new ConcurrentHashMap<>();
  /** The write-behinds made from this runtime, flushed when it closes; weakly held. */
  private final Set<AutoCloseable> writeBehinds =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  /** The subscribers and stream consumers made from this runtime, stopped when it closes. */
  private final Set<AutoCloseable> listeners =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  private final String url;
  private final NamedRuntimes.Slot named;

  private Weft(Builder builder) {
    this.named = builder.named;
    this.url = builder.redisUrl != null ? builder.redisUrl : RedisUrls.fromEnvironment();
    ConnectionOptions options = builder.connectionOptions();
    GatewaySettings gateways =
        new GatewaySettings(builder.breakerOpenWait, builder.meterRegistry);
    this.connections = new RedisConnections(options);
    this.redis =
        new RedisGateway(
            connections, url, builder.commandTimeout, builder.connectTimeout, options,
            builder.keys, builder.codec != null ? builder.codec : JsonCodec.shared(), gateways);
    this.cache = new CacheRuntime(redis, url, builder.commandTimeout, builder.nearCacheSize);
    List<String> redlockUrls =
        builder.redlockUrls != null ? builder.redlockUrls : RedisUrls.redlockFromEnvironment();
    List<RedisGateway> masters = new ArrayList<>();
    for (String master : redlockUrls) {
      masters.add(
          new RedisGateway(
              connections, master, builder.commandTimeout, builder.connectTimeout,
              options.forOtherServers(), builder.keys, JsonCodec.shared(), gateways));
    }
    this.locks = new LockEngine(redis, cache.feed(), masters);
    redis.start();
    masters.forEach(RedisGateway::start);
    // subscribes, and checks the user's permissions, on the feed's own thread
    cache.feed().start();
  }

  /** @return a builder with the defaults described on {@link Builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the runtime woven methods use when their annotations name none; created from the
   *     environment on first use, never {@code null}
   * @throws WeftConfigurationException if the environment's settings cannot make a runtime (a
   *     URL that cannot be parsed, a malformed timeout); the first failure is logged at ERROR and
   *     thrown again, as a new exception with its message, by every later call until {@link
   *     #install} gives woven methods a runtime
   */
  public static Weft global() {
    Weft w = global;
    if (w != null) {
      return w;
    }
    synchronized (GLOBAL_LOCK) {
      if (global == null && globalFailure == null) {
        try {
          global = builder().build();
        } catch (WeftConfigurationException e) {
          globalFailure = e;
          log.error(
              "Weft cannot create its runtime from the environment: {}; every call that needs it"
                  + " throws WeftConfigurationException until the setting is fixed (and the"
                  + " application restarted) or Weft.install(...) gives it a runtime",
              e.getMessage());
        }
      }
      if (global == null) {
        throw new WeftConfigurationException(globalFailure.getMessage(), globalFailure);
      }
      return global;
    }
  }

  /**
   * Makes {@code weft} the runtime that woven methods whose annotations name no runtime use from
   * now on.
   *
   * @param weft the runtime, not {@code null}
   * @return the runtime it replaces, or {@code null}; the caller decides whether to close it
   */
  public static Weft install(Weft weft) {
    Objects.requireNonNull(weft, "weft");
    synchronized (GLOBAL_LOCK) {
      Weft previous = global;
      global = weft;
      return previous;
    }
  }

  /**
   * Cache-aside without annotations: returns the value cached under {@code key}, or runs
   * {@code loader}, stores its result for {@code ttl} and returns it. Behaves exactly like a
   * {@code @Cached} method, including the fail-open policy when Redis is unavailable.
   *
   * <p>The TTL may differ from call to call: one cache per value type (with its in-flight loads
   * and meters, named {@code Weft.cached(<type>)}) serves every TTL, and each stored entry lives
   * as long as the call that stored it said, so a TTL computed per call grows nothing.
   *
   * @param key the entry's key, not {@code null}
   * @param ttl the entry's time to live, positive
   * @param type the value's type, generic types included (e.g. from a {@code TypeReference})
   * @param loader computes the value on a miss; its result may be {@code null}
   * @param <T> the value's type
   * @return the cached or loaded value, may be {@code null}
   */
  public <T> T cached(String key, Duration ttl, Type type, Supplier<? extends T> loader) {
    Objects.requireNonNull(key, "key");
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    ProgrammaticCache<T> entries =
        cache(type, CacheOptions.defaults().ttl(ttl), "Weft.cached(" + type.getTypeName() + ")",
            true);
    return entries.get(key, ttl, loader::get);
  }

  /**
   * A cache of values of one type, without annotations. Caches with equal type and options share
   * their state (in-flight loads, near tier), so asking twice is cheap.
   *
   * @param type the values' type; generic types too (e.g. from a Jackson {@code TypeReference})
   * @param options the settings, as {@code @Cached}'s attributes
   * @param <T> the values' type
   * @return the cache, never {@code null}
   */
  public <T> WeftCache<T> cache(Type type, CacheOptions options) {
    return cache(type, options, "WeftCache<" + type.getTypeName() + ">", false);
  }

  /**
   * @param name the cache's name in logs and metrics
   * @param perCallTtl whether each call gives its entry's TTL (for {@link #cached}): then one
   *     cache per type and name serves every TTL, so a TTL computed per call grows nothing
   */
  @SuppressWarnings("unchecked")
  private <T> ProgrammaticCache<T> cache(
      Type type, CacheOptions options, String name, boolean perCallTtl) {
    return (ProgrammaticCache<T>)
        caches.computeIfAbsent(
            perCallTtl ? List.of(type, name) : List.of(type, options, name),
            k -> {
              TypedCodec values = TypedCodec.of(redis.codec(), type);
              CacheAside.Settings settings =
                  new CacheAside.Settings(
                      KeyTemplate.argument(), ProgrammaticCache.tagsFromArguments(), options.ttl(),
                      options.jitter(), options.cacheNulls(), options.staleWhileRevalidate(),
                      options.earlyRefresh(), options.near(), options.loadTimeout());
              ResultShape shape = new ResultShape(false, type);
              CacheAside aside =
                  perCallTtl
                      ? CacheAside.perCallTtl(name, settings, shape, values)
                      : new CacheAside(name, settings, shape, values);
              BulkCache bulk =
                  new BulkCache(
                      name, KeyTemplate.argument(), 0, false,
                      options.ttl().plus(options.staleWhileRevalidate()), options.jitter(),
                      options.cacheNulls(), values);
              return new ProgrammaticCache<>(cache, aside, bulk, values, options);
            });
  }

  /** @return how many cache objects this runtime keeps, for tests of their bound */
  int cacheCount() {
    return caches.size();
  }

  /**
   * @param type the values' type
   * @param options the settings
   * @param <T> the values' type
   * @return the cache, see {@link #cache(Type, CacheOptions)}
   */
  public <T> WeftCache<T> cache(Class<T> type, CacheOptions options) {
    return cache((Type) type, options);
  }

  /**
   * Removes every entry carrying {@code tag} (what {@code @Invalidate(tags = ...)} does).
   *
   * @param tag the tag, taken literally
   * @return how many entries were removed
   * @throws dev.weft.exception.WeftUnavailableException if Redis is unavailable
   */
  public long invalidateTag(String tag) {
    return EntryStore.deleteTag(redis, Objects.requireNonNull(tag, "tag"));
  }

  /**
   * Removes the namespace {@code prefix}, taken literally (glob characters are escaped), as
   * {@code @Invalidate(namespace)} does: the key equal to it and the keys that continue it after
   * a {@code :} ({@code "user:1"} keeps {@code user:17}); a prefix ending with {@code :} removes
   * every key starting with it. Weft's own keys ({@code weft:...}) are removed only when
   * {@code prefix} itself starts with {@code weft:}, to reset Weft's state on purpose. Only keys
   * under this runtime's {@linkplain Builder#keyPrefix key prefix} are matched. Scans in batches,
   * never with KEYS.
   *
   * @param prefix the namespace, not empty
   * @return how many keys were removed
   * @throws IllegalArgumentException if {@code prefix} is empty
   * @throws dev.weft.exception.WeftUnavailableException if Redis is unavailable
   */
  public long invalidateNamespace(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException("an empty namespace would remove every key; give a prefix");
    }
    return EntryStore.deleteNamespace(redis, prefix);
  }

  /**
   * A distributed lock on {@code key} with the default options (a 30-second lease renewed while
   * held): the programmatic counterpart of {@code @DistributedLock}.
   *
   * @param key what is locked, not empty; any characters
   * @return the lock handle; nothing is sent to Redis until it is acquired
   */
  public WeftLock lock(String key) {
    return lock(key, LockOptions.defaults());
  }

  /**
   * A distributed lock on {@code key}.
   *
   * @param key what is locked, not empty; any characters
   * @param options lease, renewal, minimum hold, Redlock
   * @return the lock handle; nothing is sent to Redis until it is acquired
   */
  public WeftLock lock(String key, LockOptions options) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(options, "options");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a lock key must not be empty: name what is locked");
    }
    return new EngineLock(locks, key, options);
  }

  /**
   * A rate limiter that grants a call only when every limit has a permit: the programmatic
   * counterpart of {@code @RateLimited}.
   *
   * @param limits one or more limits, none {@code null}; they count together per key
   * @return the limiter, never {@code null}; nothing is sent to Redis yet
   * @throws IllegalArgumentException if {@code limits} is empty
   */
  public RateLimiter rateLimiter(Limit... limits) {
    return PatternFactories.create(RateLimiter.class, this, limits.clone(), null, null, null);
  }

  /**
   * A counter of events per time bucket: the programmatic counterpart of {@code @Counted}.
   *
   * @param name the counter's name, as {@code @Counted}'s
   * @param options granularity and retention, not {@code null}
   * @return the counter, never {@code null}; nothing is sent to Redis yet
   */
  public Counter counter(String name, CounterOptions options) {
    return PatternFactories.create(Counter.class, this, name, options, null, null);
  }

  /**
   * @param name the counter's name
   * @return a counter with {@link CounterOptions#defaults()} (minute buckets)
   */
  public Counter counter(String name) {
    return counter(name, CounterOptions.defaults());
  }

  /**
   * A counter of distinct members per time bucket (HyperLogLog).
   *
   * @param name the counter's name
   * @param options granularity and retention, not {@code null}
   * @return the counter, never {@code null}; nothing is sent to Redis yet
   */
  public UniqueCounter uniqueCounter(String name, CounterOptions options) {
    return PatternFactories.create(UniqueCounter.class, this, name, options, null, null);
  }

  /**
   * @param name the counter's name
   * @return a unique counter with {@link CounterOptions#defaults()} (minute buckets)
   */
  public UniqueCounter uniqueCounter(String name) {
    return uniqueCounter(name, CounterOptions.defaults());
  }

  /**
   * A ranking of members by score.
   *
   * @param name the board's name
   * @param options its bound and expiry, not {@code null}
   * @return the board, never {@code null}; nothing is sent to Redis yet
   */
  public Leaderboard leaderboard(String name, LeaderboardOptions options) {
    return PatternFactories.create(Leaderboard.class, this, name, options, null, null);
  }

  /**
   * @param name the board's name
   * @return a board with {@link LeaderboardOptions#defaults()} (the best 1000, no expiry)
   */
  public Leaderboard leaderboard(String name) {
    return leaderboard(name, LeaderboardOptions.defaults());
  }

  /**
   * A store of user sessions.
   *
   * @param store the store's name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
   * @param options expiry and per-user bound, not {@code null}
   * @return the store, never {@code null}; nothing is sent to Redis yet
   */
  public Sessions sessions(String store, SessionOptions options) {
    return PatternFactories.create(Sessions.class, this, store, options, null, null);
  }

  /**
   * @param store the store's name
   * @return a store with {@link SessionOptions#defaults()} (30 minutes idle)
   */
  public Sessions sessions(String store) {
    return sessions(store, SessionOptions.defaults());
  }

  /**
   * A reliable work queue: each item is delivered to one consumer, and again if it is not
   * acknowledged in time. Items of {@code String.class} are stored as they are (UTF-8), others as
   * JSON.
   *
   * @param name the queue's name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
   * @param type the items' type, not {@code null}
   * @param options lease, retries and bounds, not {@code null}
   * @param <T> the item type
   * @return the queue, never {@code null}; nothing is sent to Redis yet
   */
  @SuppressWarnings("unchecked")
  public <T> ReliableQueue<T> queue(String name, Class<T> type, QueueOptions options) {
    Objects.requireNonNull(type, "type");
    return PatternFactories.create(ReliableQueue.class, this, name, type, options, null);
  }

  /**
   * @param name the queue's name
   * @param type the items' type, not {@code null}
   * @param <T> the item type
   * @return a queue with {@link QueueOptions#defaults()} (a 30-second lease)
   */
  public <T> ReliableQueue<T> queue(String name, Class<T> type) {
    return queue(name, type, QueueOptions.defaults());
  }

  /**
   * Appends to a Redis stream, for {@code @StreamListener} methods or {@link #streamConsumers} to
   * read.
   *
   * @param stream the stream's name, not empty
   * @param type the entries' type, not {@code null}
   * @param <T> the entry type
   * @return the producer, never {@code null}; nothing is sent to Redis yet
   */
  @SuppressWarnings("unchecked")
  public <T> StreamProducer<T> streamProducer(String stream, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return PatternFactories.create(StreamProducer.class, this, stream, type, null, null);
  }

  /**
   * Starts consumer loops for the {@code @StreamListener} methods of {@code listeners}; more can
   * be added later. Returns at once: loops connect, and retry, in the background.
   *
   * @param listeners objects with {@code @StreamListener} methods, none {@code null}; may be none
   * @return the running container; close it to stop the loops
   * @throws IllegalArgumentException if a method is not a valid {@code @StreamListener} method
   */
  public StreamConsumers streamConsumers(Object... listeners) {
    return closedWithRuntime(this.listeners,
        PatternFactories.create(StreamConsumers.class, this, listeners.clone(), null, null, null));
  }

  /**
   * @return a publisher to pub/sub channels, never {@code null}
   */
  public Publisher publisher() {
    return PatternFactories.create(Publisher.class, this, null, null, null, null);
  }

  /**
   * Subscribes the {@code @Subscribe} methods of {@code listeners}, on a connection of its own;
   * more can be added later. Returns at once: it connects, and reconnects, in the background.
   *
   * @param listeners objects with {@code @Subscribe} methods, none {@code null}; may be none
   * @return the running subscriber; close it to unsubscribe
   * @throws IllegalArgumentException if a method is not a valid {@code @Subscribe} method
   */
  public Subscriber subscriber(Object... listeners) {
    return closedWithRuntime(this.listeners,
        PatternFactories.create(Subscriber.class, this, listeners.clone(), null, null, null));
  }

  /**
   * A Bloom filter: "maybe added" or "certainly not added", in a bounded bitmap.
   *
   * @param name the filter's name
   * @param options its size, false-positive rate and lifetime, not {@code null}
   * @return the filter, never {@code null}; nothing is sent to Redis yet
   */
  public BloomFilter bloomFilter(String name, BloomOptions options) {
    return PatternFactories.create(BloomFilter.class, this, name, options, null, null);
  }

  /**
   * Starts a write-behind cache: writes go to Redis at once and to the application's store
   * through {@code persister}, later, retried until they succeed.
   *
   * @param name the write-behind's name, not empty; processes sharing it share its stream
   * @param type the values' type, not {@code null}
   * @param persister stores values in the application's store, not {@code null}
   * @param options lifetime, consumers, retries and bounds, not {@code null}
   * @param <T> the value type
   * @return the running write-behind; close it to stop its consumers
   */
  @SuppressWarnings("unchecked")
  public <T> WriteBehind<T> writeBehind(
      String name, Class<T> type, Persister<? super T> persister, WriteBehindOptions options) {
    return closedWithRuntime(writeBehinds,
        PatternFactories.create(WriteBehind.class, this, name, type, persister, options));
  }

  private static <C extends AutoCloseable> C closedWithRuntime(Set<AutoCloseable> group, C made) {
    group.add(made);
    return made;
  }

  /**
   * @return the prefix every key this runtime writes starts with, such as {@code "orders:"}; empty
   *     when none is configured (see {@link Builder#keyPrefix(String)})
   */
  public String keyPrefix() {
    return redis.keys().prefix();
  }

  /**
   * @return the name this runtime was built with ({@link Builder#name(String)}), which woven
   *     methods name in their annotations' {@code runtime}; empty when it has none
   */
  public String name() {
    return named == null ? "" : named.name();
  }

  /** @return the Redis URL this runtime uses, with any password redacted */
  public String redisUrl() {
    return RedisUrls.redact(url);
  }

  /**
   * Asks Redis whether it answers, through this runtime's own connection and circuit breaker, so
   * the answer is about what Weft's calls get: one {@code PING}, waiting at most the command
   * timeout. While the breaker is open the {@code PING} is not sent and the answer is down at
   * once; the breaker lets a probe through when its wait is over, and a health check may be that
   * probe.
   *
   * <pre>{@code
   * WeftHealth health = weft.health();
   * respond(health.up() ? 200 : 503, health);   // a readiness endpoint
   * }</pre>
   *
   * @return the answer, never {@code null}; never throws for a Redis failure
   */
  public WeftHealth health() {
    long start = System.nanoTime();
    try {
      String pong = redis.execute(c -> c.ping());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      return "PONG".equalsIgnoreCase(pong)
          ? new WeftHealth(true, redisUrl(), took, circuit(), null)
          : new WeftHealth(false, redisUrl(), null, circuit(), "PING answered " + pong);
    } catch (RuntimeException e) {
      String problem = Secrets.redact(e.getMessage() != null ? e.getMessage() : e.toString());
      return new WeftHealth(false, redisUrl(), null, circuit(), problem);
    }
  }

  /**
   * Asks Redis for its version ({@code redis_version} of {@code INFO server}), through this
   * runtime's own connection and circuit breaker, for an info endpoint or a start-up log line. On
   * a cluster, one node answers.
   *
   * @return the version, such as {@code "7.0.15"}; empty when Redis does not answer (or the
   *     breaker is open), never throws for a Redis failure
   */
  public Optional<String> redisVersion() {
    try {
      String info = redis.execute(c -> c.info("server"));
      return info.lines()
          .filter(line -> line.startsWith("redis_version:"))
          .map(line -> line.substring("redis_version:".length()).trim())
          .findFirst();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private WeftHealth.Circuit circuit() {
    return switch (redis.state()) {
      case CLOSED -> WeftHealth.Circuit.CLOSED;
      case OPEN -> WeftHealth.Circuit.OPEN;
      case HALF_OPEN -> WeftHealth.Circuit.HALF_OPEN;
    };
  }

  /**
   * Closes the runtime, in this order: releases the locks it holds (in Redis, so that another
   * process may take them at once; their holders' later releases do nothing); closes the {@link
   * #writeBehind write-behinds} made from it, each after the write its consumers have in hand is
   * persisted and acknowledged (writes still waiting stay in Redis, for any consumer to persist);
   * stops the {@link #subscriber subscribers} and {@link #streamConsumers stream consumers} made
   * from it; then closes every Redis connection and stops the runtime's threads. Woven methods that
   * still use this runtime fail open. A named runtime gives its name back: another may then be
   * built under it, and woven methods that name it use that one from then on.
   */
  @Override
  public void close() {
    if (named != null) {
      named.closed(this);
    }
    locks.releaseHeld();
    closeAll(writeBehinds);
    closeAll(listeners);
    locks.close();
    cache.close();
    redis.close();
    connections.close();
  }

  private static void closeAll(Set<AutoCloseable> group) {
    List<AutoCloseable> open;
    synchronized (group) {
      open = new ArrayList<>(group);
      group.clear();
    }
    for (AutoCloseable closeable : open) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.warn("Weft could not close {} while closing its runtime: {}", closeable, e.toString());
      }
    }
  }

  /**
   * A user and password for Redis's {@code AUTH}, as {@link Builder#credentials} asks for them.
   * Its {@code toString()} does not show the password.
   *
   * @param username the ACL user, or {@code null} for Redis's {@code default} user
   * @param password the password, not {@code null}
   */
  public record Credentials(String username, String password) {

    /** Checks the password is there. */
    public Credentials {
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=****]";
    }
  }

  /**
   * Settings for a {@link Weft} runtime.
   *
   * <ul>
   *   <li>{@link #redisUrl}: default from the environment, see {@link Weft}.
   *   <li>{@link #commandTimeout}: default from the environment variable {@code
   *       WEFT_REDIS_TIMEOUT}, else the system property {@code weft.redis.timeout} (duration
   *       strings such as {@code "500ms"}), else {@link Weft#DEFAULT_COMMAND_TIMEOUT}.
   *   <li>{@link #connectTimeout}: default from the environment variable {@code
   *       WEFT_REDIS_CONNECT_TIMEOUT}, else the system property {@code weft.redis.connect-timeout},
   *       else {@link Weft#DEFAULT_CONNECT_TIMEOUT}.
   *   <li>TLS ({@link #trustStore}, {@link #keyStore}, {@link #clientCertificate}) and {@link
   *       #readCacheFromReplicas}: default from the environment variables {@code
   *       WEFT_REDIS_TRUSTSTORE}, {@code WEFT_REDIS_TRUSTSTORE_PASSWORD}, {@code
   *       WEFT_REDIS_KEYSTORE}, {@code WEFT_REDIS_KEYSTORE_PASSWORD}, {@code
   *       WEFT_REDIS_CLIENT_CERT}, {@code WEFT_REDIS_CLIENT_KEY}, {@code
   *       WEFT_REDIS_READ_CACHE_FROM_REPLICAS}, else the system properties {@code
   *       weft.redis.truststore}, {@code weft.redis.truststore.password}, {@code
   *       weft.redis.keystore}, {@code weft.redis.keystore.password}, {@code
   *       weft.redis.client.cert}, {@code weft.redis.client.key}, {@code
   *       weft.redis.read-cache-from-replicas}; else none, and reads on the master.
   *   <li>{@link #credentials}: default the user and password of the URL.
   *   <li>{@link #keyPrefix}: default from the environment variable {@code WEFT_KEY_PREFIX}, else
   *       the system property {@code weft.key-prefix}, else none.
   *   <li>{@link #codec} or {@link #objectMapper}: default Weft's own JSON.
   *   <li>{@link #name}: default none.
   *   <li>{@link #meterRegistry}: default Micrometer's global registry.
   *   <li>{@link #tls(KeyManagerFactory, TrustManagerFactory)}: default none (the files above).
   *   <li>{@link #nearCacheSize}: default {@value Weft#DEFAULT_NEAR_CACHE_SIZE}; {@link
   *       #breakerOpenWait}: default {@link Weft#DEFAULT_BREAKER_OPEN_WAIT}.
   * </ul>
   */
  public static final class Builder {
    private String redisUrl;
    private Duration commandTimeout;
    private Duration connectTimeout;
    private List<String> redlockUrls;
    private Path trustStore;
    private String trustStorePassword;
    private Path keyStore;
    private String keyStorePassword;
    private Path clientCertificate;
    private Path clientKey;
    private RedisCredentialsProvider credentials;
    private Boolean readCacheFromReplicas;
    private String keyPrefix;
    private KeySpace keys;
    private ValueCodec codec;
    private String name;
    private NamedRuntimes.Slot named;
    private Object meterRegistry;
    private KeyManagerFactory tlsKeys;
    private TrustManagerFactory tlsTrust;
    private int nearCacheSize = DEFAULT_NEAR_CACHE_SIZE;
    private Duration breakerOpenWait = DEFAULT_BREAKER_OPEN_WAIT;

    private Builder() {}

    /**
     * @param url a Lettuce Redis URL, or {@code redis-cluster://host:port,host:port}; {@code null}
     *     means "from the environment"
     * @return this builder
     */
    public Builder redisUrl(String url) {
      this.redisUrl = url;
      return this;
    }

    /**
     * @param timeout how long one Redis command may take before the call goes on without Redis,
     *     positive; connecting has its own bound ({@link #connectTimeout(Duration)})
     * @return this builder
     */
    public Builder commandTimeout(Duration timeout) {
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("commandTimeout must be positive, was " + timeout);
      }
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * @param timeout a duration string such as {@code "500ms"}
     * @return this builder
     */
    public Builder commandTimeout(String timeout) {
      return commandTimeout(DurationSyntax.parsePositive(timeout));
    }

    /**
     * @param timeout how long opening a connection to Redis (TCP connect and handshake) may take;
     *     also how long calls that arrive before the runtime's first connect has finished wait for
     *     it, rather than go on without Redis; positive
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("connectTimeout must be positive, was " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * @param timeout a duration string such as {@code "5s"}
     * @return this builder
     */
    public Builder connectTimeout(String timeout) {
      return connectTimeout(DurationSyntax.parsePositive(timeout));
    }

    /**
     * The independent Redis masters for Redlock locks ({@code @DistributedLock(redlock = true)}),
     * typically 3 or 5, sharing nothing (not replicas of each other, not one cluster). Default:
     * the comma-separated URLs in {@code WEFT_REDLOCK_URLS} or the system property {@code
     * weft.redlock.urls}, else none; that list is split at the commas followed by a scheme
     * ({@code ,redis://}), so a comma in a password stays in its URL.
     *
     * @param urls the masters' Redis URLs
     * @return this builder
     */
    public Builder redlock(String... urls) {
      for (String u : urls) {
        if (u == null || u.isBlank()) {
          throw new IllegalArgumentException("a Redlock master URL must not be empty");
        }
        if (RedisUrls.isCluster(u)) {
          throw new IllegalArgumentException(
              "Redlock masters must be independent standalone servers, not a cluster: "
                  + Secrets.redact(u));
        }
      }
      this.redlockUrls = List.of(urls);
      return this;
    }

    /**
     * The certificates a {@code rediss://} server's certificate must chain to: a PEM file of CA
     * certificates, or a JKS or PKCS#12 trust store without a password. The server's host name is
     * verified against its certificate in any case. Default: the JVM's trust store.
     *
     * @param file the PEM file or trust store, not {@code null}
     * @return this builder
     */
    public Builder trustStore(Path file) {
      return trustStore(file, null);
    }

    /**
     * @param file a JKS or PKCS#12 trust store, or a PEM file of CA certificates, not {@code null}
     * @param password the store's password, or {@code null}; never logged
     * @return this builder
     * @see #trustStore(Path)
     */
    public Builder trustStore(Path file, String password) {
      this.trustStore = Objects.requireNonNull(file, "file");
      this.trustStorePassword = password;
      return this;
    }

    /**
     * The client certificate for mutual TLS ({@code tls-auth-clients yes}), as a JKS or PKCS#12
     * key store holding the key and its certificate chain.
     *
     * @param file the key store, not {@code null}
     * @param password the store's and the key's password, or {@code null}; never logged
     * @return this builder
     */
    public Builder keyStore(Path file, String password) {
      this.keyStore = Objects.requireNonNull(file, "file");
      this.keyStorePassword = password;
      return this;
    }

    /**
     * The client certificate for mutual TLS as PEM files, instead of a {@linkplain #keyStore key
     * store}.
     *
     * @param certificateChain the client certificate, then any intermediates, PEM, not {@code null}
     * @param privateKey its private key, PEM (PKCS#8, unencrypted), not {@code null}
     * @return this builder
     */
    public Builder clientCertificate(Path certificateChain, Path privateKey) {
      this.clientCertificate = Objects.requireNonNull(certificateChain, "certificateChain");
      this.clientKey = Objects.requireNonNull(privateKey, "privateKey");
      return this;
    }

    /**
     * Where the user and password come from, instead of the URL: asked at every connect and
     * reconnect of every connection of the runtime, so that a rotated password is picked up
     * without a restart. After {@code ACL SETUSER app >new <old} open connections stay
     * authenticated; the next reconnect (after {@code CLIENT KILL USER app}, a server restart or a
     * network drop) uses what the supplier returns then.
     *
     * <pre>{@code
     * Weft.builder().credentials(() -> new Weft.Credentials("app", vault.read("redis/app")))
     * }</pre>
     *
     * @param supplier returns the current credentials, not {@code null}; called on the Redis
     *     client's threads, so it should not block for long; not {@code null}
     * @return this builder
     */
    public Builder credentials(Supplier<? extends Credentials> supplier) {
      Objects.requireNonNull(supplier, "supplier");
      this.credentials =
          RedisCredentialsProvider.from(
              () -> {
                Credentials current = Objects.requireNonNull(supplier.get(), "credentials");
                return RedisCredentials.just(current.username(), current.password());
              });
      return this;
    }

    /**
     * Lets plain cache reads ({@code @Cached} and {@link WeftCache} lookups) go to a replica when
     * there is one, through a second connection; writes, invalidations, locks, limits and every
     * script stay on the master. A replica may lag: a value just written or invalidated may still
     * be read as it was for the replication delay. Works with Sentinel ({@code
     * redis-sentinel://}), a master whose replicas it reports ({@code redis://}), and clusters.
     * Default: off, or {@code WEFT_REDIS_READ_CACHE_FROM_REPLICAS} / {@code
     * weft.redis.read-cache-from-replicas}.
     *
     * @param enabled whether cache reads may go to replicas
     * @return this builder
     */
    public Builder readCacheFromReplicas(boolean enabled) {
      this.readCacheFromReplicas = enabled;
      return this;
    }

    /**
     * Puts every key this runtime writes under {@code name:}, and its change channel too, so that
     * several applications share one Redis without reading, removing or hearing each other's
     * entries, locks, limits and invalidations: with {@code "orders"}, {@code @Cached(key =
     * "user:{id}")} is stored at {@code orders:user:42}, a lock at {@code orders:weft:lock:{...}},
     * and changes are announced on {@code orders:weft:changes}. Streams and pub/sub channels the
     * application names itself are not prefixed. Processes that share data must share the prefix.
     * Default: {@code WEFT_KEY_PREFIX}, else {@code weft.key-prefix}, else none (the keys as
     * written).
     *
     * @param name 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}; Weft appends {@code
     *     :}; empty for no prefix, whatever the environment says; checked by {@link #build()}
     * @return this builder
     */
    public Builder keyPrefix(String name) {
      this.keyPrefix = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * How this runtime writes and reads the values of every pattern (cache entries, queue items,
     * stream and pub/sub messages, session fields, write-behind values), instead of Weft's own
     * JSON. Each value is written and read as its declared type; keys are rendered by Weft
     * whatever the codec, so they do not change with it. Replaces an earlier {@link
     * #objectMapper}.
     *
     * <p>This is the way to bring the application's serialisation under the Weft agent, whose
     * Jackson is relocated: the interface names JDK types only, so a codec written against the
     * application's own libraries works with any copy of Weft.
     *
     * @param codec the codec, not {@code null}; thread-safe
     * @return this builder
     */
    public Builder codec(ValueCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Writes and reads values with the application's Jackson configuration (its modules, such as
     * Kotlin's or Hibernate's, its serializers, its naming), keeping Weft's safety: Weft works on
     * a {@linkplain ObjectMapper#copy() copy}, on which it turns off any default typing (payloads
     * never carry class names, and a value is only ever read as its declared type), ignores
     * unknown properties on read, and adds {@code Jdk8Module} and {@code JavaTimeModule} if the
     * mapper lacks them. The application's mapper is not changed; changing it afterwards does not
     * change Weft's copy. Keys do not go through it. Replaces an earlier {@link #codec}.
     *
     * <p>Under the Weft agent, when the runtime in use is the agent's own copy of Weft (a Spring
     * Boot fat jar), this method takes the agent's relocated Jackson and cannot be called with
     * the application's mapper: use {@link #codec(ValueCodec)} with a codec that wraps it.
     *
     * @param mapper the application's mapper, not {@code null}
     * @return this builder
     * @throws WeftConfigurationException if the mapper cannot be copied (a subclass that does not
     *     override {@code copy()}); the message says what to pass instead
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.codec = JsonCodec.of(Objects.requireNonNull(mapper, "mapper"));
      return this;
    }

    /**
     * Names the runtime, so that woven methods can use it: those whose annotations say {@code
     * runtime = "billing"} use the runtime built with {@code name("billing")}, looked up at every
     * call. One process holds at most one open runtime of a name; closing it frees the name. The
     * name says nothing about keys: give runtimes that share one Redis different {@linkplain
     * #keyPrefix key prefixes} if they must not see each other's entries. Default: none; such a
     * runtime is used by woven methods only once {@linkplain Weft#install installed}.
     *
     * @param name 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}, such as {@code
     *     "billing"}; checked by {@link #build()}
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Where this runtime's meters go: those of its Redis gateway ({@code weft.redis.*}), its
     * caches and retries ({@code weft.cache.*}), its locks ({@code weft.lock.*}), and those of
     * woven methods ({@code @Cached}'s {@code weft.cache.*}, {@code @Counted}'s {@code
     * weft.counted.errors}) for the calls that use this runtime. Micrometer is an optional
     * dependency: call this only when it is on the class path. Default: Micrometer's global
     * registry ({@code Metrics.globalRegistry}), when Micrometer is present.
     *
     * @param registry the registry, not {@code null}; Weft registers meters in it and removes the
     *     gateway's gauge when the runtime closes, and never closes it
     * @return this builder
     */
    public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * TLS material for {@code rediss://} connections as ready-made factories, such as those of a
     * Spring Boot SSL bundle, instead of files. A factory given here takes the place of its side's
     * files, from this builder ({@link #trustStore}, {@link #keyStore}, {@link
     * #clientCertificate}) or from the environment; a {@code null} side keeps them. The server's
     * host name is verified against its certificate in any case. Redlock masters get the same
     * material.
     *
     * @param keys the client's key and certificate for mutual TLS ({@code tls-auth-clients yes}),
     *     initialised; or {@code null}
     * @param trust the certificates the server's must chain to, initialised; or {@code null} for
     *     the trust store of the builder or the environment, else the JVM's
     * @return this builder
     */
    public Builder tls(KeyManagerFactory keys, TrustManagerFactory trust) {
      this.tlsKeys = keys;
      this.tlsTrust = trust;
      return this;
    }

    /**
     * How many values each near cache of this runtime ({@code @Cached(near = true)}, {@code
     * CacheOptions.near}) keeps in memory, at most; the least used go first. A woven method's near
     * cache takes the size of the runtime its calls use. Default: {@value
     * Weft#DEFAULT_NEAR_CACHE_SIZE}.
     *
     * @param maxEntries the bound per near cache, positive
     * @return this builder
     */
    public Builder nearCacheSize(int maxEntries) {
      if (maxEntries <= 0) {
        throw new IllegalArgumentException(
            "nearCacheSize must be positive (a bound on the values each near cache keeps), was "
                + maxEntries);
      }
      this.nearCacheSize = maxEntries;
      return this;
    }

    /**
     * How long the circuit breaker stays open once Redis failed repeatedly: calls fail at once,
     * without going to Redis, for this long; then one call is let through as a probe. A shorter
     * wait finds a recovered server sooner; a longer one spares a struggling server. Applies to
     * the runtime's Redis and to each Redlock master. Default: 1 second.
     *
     * @param wait the wait, positive, at most one hour
     * @return this builder
     */
    public Builder breakerOpenWait(Duration wait) {
      Objects.requireNonNull(wait, "wait");
      if (wait.isZero() || wait.isNegative() || wait.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "breakerOpenWait must be positive and at most 1h (how long calls skip Redis after it"
                + " failed), was " + wait);
      }
      this.breakerOpenWait = wait;
      return this;
    }

    private ConnectionOptions connectionOptions() {
      ConnectionOptions env = ConnectionOptions.fromEnvironment();
      boolean ownTrust = trustStore != null;
      boolean ownKeys = keyStore != null || clientCertificate != null;
      ConnectionOptions options =
          new ConnectionOptions(
              ownTrust ? trustStore : env.trustStore(),
              ownTrust ? trustStorePassword : env.trustStorePassword(),
              ownKeys ? keyStore : env.keyStore(),
              ownKeys ? keyStorePassword : env.keyStorePassword(),
              ownKeys ? clientCertificate : env.clientCertificate(),
              ownKeys ? clientKey : env.clientKey(),
              credentials,
              readCacheFromReplicas != null ? readCacheFromReplicas : env.readCacheFromReplicas(),
              tlsKeys,
              tlsTrust);
      options.check();
      return options;
    }

    /**
     * @return a new runtime; it starts connecting at once, in the background
     * @throws WeftConfigurationException if a Redis or Redlock URL cannot be parsed (the message
     *     names the setting and the characters to percent-encode, never the password), a timeout
     *     was not given and the one configured in the environment is not a positive duration, or
     *     a TLS file does not exist or lacks its pair, or the key prefix is not a valid name, or
     *     the {@linkplain #name name} is not valid or already taken by an open runtime
     */
    public Weft build() {
      keys = KeySpace.fromEnvironment(keyPrefix);
      redisUrl =
          redisUrl != null
              ? RedisUrls.check(redisUrl, RedisUrls.BUILDER_URL)
              : RedisUrls.checkedFromEnvironment();
      if (redlockUrls == null) {
        redlockUrls = RedisUrls.checkedRedlockFromEnvironment();
      } else {
        redlockUrls.forEach(u -> RedisUrls.checkRedlock(u, RedisUrls.BUILDER_REDLOCK));
      }
      if (commandTimeout == null) {
        commandTimeout = RedisTimeouts.fromEnvironment(DEFAULT_COMMAND_TIMEOUT);
      }
      if (connectTimeout == null) {
        connectTimeout = RedisTimeouts.connectFromEnvironment(DEFAULT_CONNECT_TIMEOUT);
      }
      if (name == null) {
        return new Weft(this);
      }
      String problem = NameSyntax.runtimeNameProblem(name);
      if (problem != null) {
        throw new WeftConfigurationException("Weft.builder().name(\"" + name + "\"): " + problem);
      }
      named = NamedRuntimes.slot(name);
      named.claim();
      Weft weft;
      try {
        weft = new Weft(this);
      } catch (RuntimeException | Error e) {
        named.release();
        throw e;
      }
      named.bind(weft);
      return weft;
    }
  }
}
