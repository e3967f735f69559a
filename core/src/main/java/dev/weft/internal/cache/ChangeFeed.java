package dev.weft.internal.cache;

import dev.weft.internal.redis.RedisConnections;
import dev.weft.internal.redis.RedisUrls;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription per runtime to the channel on which every Weft write and invalidation
 * announces the key it changed.
 *
 * <h2>Design</h2>
 *
 * Two things listen: near caches, which drop their local copy of a changed key, and callers
 * waiting for another process to finish loading a key (stampede protection), who read again when
 * it changes. Waiters share one future per key, so a thousand waiters cost one map entry, not a
 * thousand subscriptions.
 *
 * <p>Pub/sub, not RESP3 client tracking: it works the same on standalone and cluster (a PUBLISH
 * reaches every node's subscribers), on Redis 6.2 and 7, and its messages come from Weft's own
 * scripts, in the same atomic step as the write. Its limit: a write made by another client
 * without Weft is not announced.
 *
 * <p>Messages are lost while the subscription is down. So the feed is only {@linkplain #live()
 * live} between a confirmed subscription and the next disconnect, and listeners are
 * {@linkplain Listener#reset() reset} on both edges: a near cache empties itself and serves
 * nothing locally until the feed is live again.
 */
public final class ChangeFeed implements AutoCloseable {

  /** The channel Weft's scripts publish changed keys on. */
  public static final String CHANNEL = "weft:changes";

  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

  /** Reacts to changes. */
  public interface Listener {
    /** @param key the key that was written or removed */
    void changed(String key);

    /** Messages may have been lost: forget everything derived from earlier ones. */
    void reset();
  }

  private final RedisConnections connections;
  private final String url;
  private final Duration timeout;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, CompletableFuture<Void>> waiters =
      new ConcurrentHashMap<>();
  private final Object lock = new Object();

  private volatile boolean live;
  private volatile boolean started;
  private RedisConnections.Client client;
  private StatefulRedisPubSubConnection<String, String> connection;
  private long retryAfterNanos;

  /**
   * @param connections the runtime's connection factory
   * @param url the runtime's Redis URL
   * @param timeout how long to wait for the subscription to be confirmed
   */
  public ChangeFeed(RedisConnections connections, String url, Duration timeout) {
    this.connections = connections;
    this.url = url;
    this.timeout = timeout;
  }

  /** @return whether every change since the last reset has been (and will be) delivered */
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
   * @param key an entry's key
   * @return a future completed at the next change of {@code key} (or on a reset); never completes
   *     exceptionally
   */
  public CompletableFuture<Void> nextChange(String key) {
    start();
    return waiters.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  private void start() {
    if (started) {
      return;
    }
    synchronized (lock) {
      if (started || System.nanoTime() - retryAfterNanos < 0) {
        return;
      }
      try {
        connect();
        started = true;
      } catch (RuntimeException e) {
        retryAfterNanos = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        log.debug("could not subscribe to {} at {}", CHANNEL, RedisUrls.redact(url), e);
        shutdownClient();
      }
    }
  }

  private void connect() {
    Adapter adapter = new Adapter();
    // The shared resources reconnect within 2 s of the server's return, so near caches are not
    // bypassed long after an outage ends.
    client = connections.client(url, timeout, timeout);
    client.addListener(adapter);
    connection = client.pubSub(StringCodec.UTF8);
    connection.addListener((RedisPubSubListener<String, String>) adapter);
    connection.sync().subscribe(CHANNEL);
    live = true;
  }

  private void received(String key) {
    CompletableFuture<Void> waiter = waiters.remove(key);
    if (waiter != null) {
      waiter.complete(null);
    }
    for (Listener l : listeners) {
      l.changed(key);
    }
  }

  private void reset(boolean nowLive) {
    live = nowLive;
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

  private final class Adapter extends RedisPubSubAdapter<String, String>
      implements RedisConnectionStateListener {
    @Override
    public void message(String channel, String message) {
      received(message);
    }

    @Override
    public void subscribed(String channel, long count) {
      if (!live) {
        if (started) {
          log.info("Weft change feed subscribed again; near caches resume");
        }
        reset(true);
      }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
      if (live) {
        log.warn("Weft change feed disconnected; near caches are bypassed until it is back");
        reset(false);
      }
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
      // Lettuce resubscribes by itself; liveness returns with the confirmation in subscribed().
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
    synchronized (lock) {
      started = true;
      live = false;
      shutdownClient();
    }
  }
}
