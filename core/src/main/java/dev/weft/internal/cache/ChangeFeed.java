package dev.weft.internal.cache;

import dev.weft.internal.redis.Heartbeat;
import dev.weft.internal.redis.KeySpace;
import dev.weft.internal.redis.RedisConnections;
import dev.weft.internal.redis.RedisUrls;
import dev.weft.internal.redis.Secrets;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription per runtime to the channel on which every Weft write and invalidation
 * announces the key it changed: the runtime's {@linkplain KeySpace#channel() change channel}, so
 * that a runtime with a key prefix hears only the changes of its own keys.
 *
 * <h2>Design</h2>
 *
 * Two things listen: near caches, which drop their local copy of a changed key, and callers
 * waiting for another process to finish loading a key, to release a lock or to fill a queue, who
 * read again when it changes. Waiters share one future per key, so a thousand waiters cost one map
 * entry, not a thousand subscriptions. Messages are Redis keys, prefix included: waiters wait on
 * the Redis key they watch (a lock's, a queue's, an entry's), while near caches, which name
 * entries by the user's key, are handed the key without the runtime's prefix.
 *
 * <p>Pub/sub, not RESP3 client tracking: it works the same on standalone and cluster (a PUBLISH
 * reaches every node's subscribers), on Redis 6.2 and 7, and its messages come from Weft's own
 * scripts, in the same atomic step as the write. Its limit: a write made by another client
 * without Weft is not announced.
 *
 * <p><b>Live or not.</b> Messages are lost while the subscription is down. So the feed is only
 * {@linkplain #live() live} between a confirmed subscription and the next sign that it may have
 * missed something, and listeners are {@linkplain Listener#reset() reset} on both edges: a near
 * cache empties itself and serves nothing locally until the feed is live again, and waiters fall
 * back to their bounded polling. Signs of trouble: Lettuce reports a disconnect; the {@link
 * Heartbeat} has heard nothing for a few intervals (a half-open connection, a stopped server);
 * either way the connection is dropped and the feed's thread opens a new one, backing off from
 * {@code RETRY_MIN} to {@code RETRY_MAX} (2 s, as fast as Lettuce's own reconnects here); Redis
 * refuses notifications to the runtime's user (an ACL user without the channel: the scripts'
 * {@code PUBLISH} is a {@code redis.pcall}, so writes still succeed, but nothing is announced).
 *
 * <p><b>Never on a caller's thread.</b> Connecting, checking permissions ({@link
 * FeedPermissions}, reported once per runtime at WARN with the {@code ACL SETUSER} rule that
 * fixes it), subscribing and the heartbeat all run on the feed's one thread
 * ({@code weft-change-feed}), started by the first use or by the runtime's first connect. Callers
 * only read {@link #live()}; while the first connect is under way, or Redis's address drops
 * packets, they see a feed that is not live and poll, rather than queue behind a connect.
 */
public final class ChangeFeed implements AutoCloseable {

  private static final Duration RETRY_MIN = Duration.ofMillis(200);
  private static final Duration RETRY_MAX = Duration.ofSeconds(2);
  /** How often a subscription that Redis refused is tried again (the ACL may be fixed live). */
  private static final Duration REFUSED_RETRY = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

  /** Reacts to changes of cache entries (near caches). */
  public interface Listener {
    /**
     * @param key the user's key of the entry that was written or removed: the Redis key without
     *     the runtime's prefix ({@link KeySpace#userKeyOf}); changes of Weft's own keys (locks,
     *     queues) are not passed on
     */
    void changed(String key);

    /** Messages may have been lost: forget everything derived from earlier ones. */
    void reset();
  }

  private final RedisConnections connections;
  private final KeySpace keys;
  private final String channel;
  private final String url;
  private final Duration timeout;
  private final Heartbeat heartbeat;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, CompletableFuture<Void>> waiters =
      new ConcurrentHashMap<>();
  private final AtomicBoolean reported = new AtomicBoolean();
  private final Object lock = new Object();

  private volatile boolean live;
  private volatile boolean started;
  private volatile boolean closed;
  /** Whether the subscription was live once: later subscriptions are logged as a return. */
  private volatile boolean wasLive;
  /** Whether Redis refuses this user's PUBLISH on the channel: then nothing is announced. */
  private volatile boolean publishRefused;
  /** The events of the current connection; those of a dropped one are ignored. */
  private volatile Events current;

  private volatile ScheduledThreadPoolExecutor worker;
  // the rest belongs to the worker thread
  private RedisConnections.Client client;
  private StatefulRedisPubSubConnection<String, String> connection;
  private long retryMillis = RETRY_MIN.toMillis();

  /**
   * @param connections the runtime's connection factory
   * @param url the runtime's Redis URL
   * @param timeout how long a connect, and each command of the feed, may take
   */
  public ChangeFeed(RedisConnections connections, String url, Duration timeout) {
    this(connections, KeySpace.NONE, url, timeout);
  }

  /**
   * @param connections the runtime's connection factory
   * @param keys the runtime's key space, whose channel the feed subscribes to
   * @param url the runtime's Redis URL
   * @param timeout how long a connect, and each command of the feed, may take
   */
  public ChangeFeed(RedisConnections connections, KeySpace keys, String url, Duration timeout) {
    this(connections, keys, url, timeout, Heartbeat.INTERVAL);
  }

  /** As {@link #ChangeFeed(RedisConnections, String, Duration)}, with another heartbeat interval. */
  ChangeFeed(
      RedisConnections connections, String url, Duration timeout, Duration heartbeatInterval) {
    this(connections, KeySpace.NONE, url, timeout, heartbeatInterval);
  }

  private ChangeFeed(
      RedisConnections connections, KeySpace keys, String url, Duration timeout,
      Duration heartbeatInterval) {
    this.connections = connections;
    this.keys = keys;
    this.channel = keys.channel();
    this.url = url;
    this.timeout = timeout;
    this.heartbeat = new Heartbeat(heartbeatInterval);
  }

  /** @return the channel the feed subscribes to, and Weft's scripts publish changed keys on */
  public String channel() {
    return channel;
  }

  /**
   * @return whether every change since the last reset has been (and will be) delivered; starts
   *     the feed in the background if it is not running, never blocks
   */
  public boolean live() {
    if (!started) {
      start();
    }
    return live;
  }

  /** @param listener called on each change and on each reset, from Lettuce's event thread */
  public void listen(Listener listener) {
    listeners.add(listener);
    start();
  }

  /** @param listener a listener given to {@link #listen} */
  public void unlisten(Listener listener) {
    listeners.remove(listener);
  }

  /**
   * @param key the Redis key, as published (with the runtime's prefix)
   * @return a future completed at the next change of {@code key} (or on a reset); while the feed
   *     is not live, one that nothing completes (the caller's bounded poll is what wakes it);
   *     never completes exceptionally
   */
  public CompletableFuture<Void> nextChange(String key) {
    if (!live()) {
      return new CompletableFuture<>();
    }
    return waiters.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  /** Starts connecting and subscribing in the background, once; never blocks. */
  public void start() {
    if (started) {
      return;
    }
    synchronized (lock) {
      if (started || closed) {
        return;
      }
      worker = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "weft-change-feed");
        t.setDaemon(true);
        return t;
      });
      worker.setRemoveOnCancelPolicy(true);
      worker.execute(this::connect);
      long beat = heartbeat.interval().toMillis();
      worker.scheduleWithFixedDelay(this::tick, beat, beat, TimeUnit.MILLISECONDS);
      started = true;
    }
  }

  /** On the worker: opens a connection, checks permissions, subscribes; else tries again later. */
  private void connect() {
    if (closed || connection != null) {
      return;
    }
    Events events = new Events();
    current = events;
    try {
      connection = open(events);
      heartbeat.heard();
      checkPermissions(connection);
      connection.sync().subscribe(channel);
      retryMillis = RETRY_MIN.toMillis();
      heartbeat.heard();
    } catch (RedisCommandExecutionException e) {
      drop();
      if (FeedPermissions.isNoPerm(e)) {
        FeedPermissions.Missing missing =
            new FeedPermissions.Missing(userOf(url), channel, keys.aclKeyPattern());
        missing.refused("SUBSCRIBE", e.getMessage());
        report(missing);
        retryLater(REFUSED_RETRY.toMillis());
      } else {
        log.debug("could not subscribe to {} at {}", channel, RedisUrls.redact(url),
            Secrets.scrub(e));
        retryLater(backoff());
      }
    } catch (RuntimeException e) {
      drop();
      if (!closed) {
        log.debug("could not subscribe to {} at {}", channel, RedisUrls.redact(url),
            Secrets.scrub(e));
        retryLater(backoff());
      }
    }
  }

  /** On the worker, every heartbeat interval. */
  private void tick() {
    StatefulRedisPubSubConnection<String, String> c = connection;
    if (c == null || closed) {
      return;
    }
    if (!heartbeat.silent()) {
      heartbeat.beat(c);
      return;
    }
    if (live) {
      log.warn("Weft change feed heard nothing from Redis at {} for {} ms; near caches are"
              + " bypassed until it is subscribed again", RedisUrls.redact(url),
          heartbeat.bound().toMillis());
    } else {
      log.debug("change feed silent for {} ms; opening it anew", heartbeat.bound().toMillis());
    }
    down();
    drop();
    connect();
  }

  private void checkPermissions(StatefulRedisPubSubConnection<String, String> c) {
    FeedPermissions.Missing missing =
        FeedPermissions.check(c.sync(), channel, keys.probe(), keys.aclKeyPattern(), userOf(url));
    publishRefused = missing.publishRefused();
    if (!missing.none()) {
      report(missing);
    }
  }

  private void report(FeedPermissions.Missing missing) {
    if (reported.compareAndSet(false, true)) {
      log.warn(missing.describe());
    } else {
      log.debug(missing.describe());
    }
  }

  private StatefulRedisPubSubConnection<String, String> open(Events events) {
    if (client == null) {
      // The shared resources reconnect within 2 s of the server's return, so near caches are not
      // bypassed long after an outage ends.
      client = connections.client(url, timeout, timeout);
    }
    StatefulRedisPubSubConnection<String, String> c = client.pubSub(StringCodec.UTF8);
    c.addListener((RedisConnectionStateListener) events);
    c.addListener((RedisPubSubListener<String, String>) events);
    return c;
  }

  /** On the worker: forgets the current connection and closes it (locally: nothing waits for Redis). */
  private void drop() {
    current = null;
    StatefulRedisPubSubConnection<String, String> c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (RuntimeException e) {
        log.debug("error while closing the change feed's connection", e);
      }
    }
  }

  private void retryLater(long millis) {
    try {
      worker.schedule(this::connect, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private long backoff() {
    long delay = retryMillis;
    retryMillis = Math.min(retryMillis * 2, RETRY_MAX.toMillis());
    return delay;
  }

  private void received(String key) {
    heartbeat.heard();
    CompletableFuture<Void> waiter = waiters.remove(key);
    if (waiter != null) {
      waiter.complete(null);
    }
    String entry = keys.userKeyOf(key);
    if (entry == null) {
      return;
    }
    for (Listener l : listeners) {
      l.changed(entry);
    }
  }

  private void up() {
    if (publishRefused || closed) {
      return;
    }
    synchronized (lock) {
      if (live) {
        return;
      }
      if (reported.compareAndSet(true, false)) {
        log.info("Weft notifications are on: Redis grants the change channel {} now", channel);
      } else if (wasLive) {
        log.info("Weft change feed subscribed again; near caches resume");
      }
      wasLive = true;
      live = true;
      reset();
    }
  }

  private void down() {
    synchronized (lock) {
      live = false;
      reset();
    }
  }

  private void reset() {
    for (Listener l : listeners) {
      l.reset();
    }
    // Waiters cannot know whether their key changed while the feed was down: wake them to read.
    waiters.keySet().forEach(k -> {
      CompletableFuture<Void> w = waiters.remove(k);
      if (w != null) {
        w.complete(null);
      }
    });
  }

  /** @return the user a Redis URL names ({@code redis://user:password@host}), else "default" */
  static String userOf(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return "default";
    }
    String info = url.substring(scheme + 3, at);
    int colon = info.indexOf(':');
    return colon <= 0 ? "default" : info.substring(0, colon);
  }

  /** The events of one connection; ignored once it is no longer the current one. */
  private final class Events extends RedisPubSubAdapter<String, String>
      implements RedisConnectionStateListener {
    @Override
    public void message(String channel, String message) {
      if (current == this) {
        received(message);
      }
    }

    @Override
    public void subscribed(String channel, long count) {
      if (current == this) {
        heartbeat.heard();
        up();
      }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
      if (current != this) {
        return;
      }
      if (live) {
        // INFO: an outage of Redis itself is the gateway's one WARN
        log.info("Weft change feed disconnected; near caches are bypassed until it is back");
      }
      down();
      // opened anew by the feed's own thread, with its quiet back-off, rather than by Lettuce
      try {
        worker.execute(() -> {
          if (current == this) {
            drop();
            retryLater(backoff());
          }
        });
      } catch (RejectedExecutionException e) {
        // closed meanwhile
      }
    }
  }

  private void shutdownClient() {
    try {
      if (client != null) {
        client.close();
      }
    } catch (RuntimeException e) {
      log.debug("error while closing the change feed", e);
    } finally {
      connection = null;
      client = null;
    }
  }

  @Override
  public void close() {
    ScheduledThreadPoolExecutor w;
    synchronized (lock) {
      closed = true;
      started = true;
      live = false;
      current = null;
      w = worker;
    }
    if (w != null) {
      w.shutdownNow();
      try {
        w.awaitTermination(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    shutdownClient();
  }
}
