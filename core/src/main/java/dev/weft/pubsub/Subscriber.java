package dev.weft.pubsub;

import dev.weft.Weft;
import dev.weft.annotation.Subscribe;
import dev.weft.codec.ValueCodec;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.redis.Heartbeat;
import dev.weft.internal.redis.RedisConnections;
import dev.weft.internal.redis.RedisEndpoint;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.RedisUnavailableException;
import dev.weft.internal.redis.RedisUrls;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.protocol.CommandExpiryWriter;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the messages {@link Publisher}s publish: a listener container for methods annotated
 * {@link Subscribe}, and for handlers subscribed in code. Created from a runtime, closed by the
 * application (it is not closed with the runtime).
 *
 * <pre>{@code
 * class PriceBoard {
 *   @Subscribe(channel = "prices")
 *   void onPrice(Price price) { ... }
 *
 *   @Subscribe(pattern = "orders.*")
 *   void onOrder(Order order, String channel) { ... }
 * }
 *
 * try (Subscriber subscriber = weft.subscriber(new PriceBoard())) {
 *   Subscription audit = subscriber.subscribe("prices", Price.class, p -> log.info("{}", p));
 *   ...
 * }                                              // unsubscribes and stops the dispatch thread
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * <b>Its own connection.</b> A connection in subscribe mode can run no other command, so each
 * subscriber opens a dedicated pub/sub connection, never the runtime's shared one; it comes from
 * the runtime's connection factory and shares its threads ({@code RedisConnections}). Closing the
 * runtime therefore ends the subscriptions too. On a cluster it is Lettuce's cluster pub/sub
 * connection: the classic {@code SUBSCRIBE} on one node receives what is published on any node.
 * Sharded pub/sub ({@code SSUBSCRIBE}) needs Redis 7; Weft targets 6.2 as well and does not use
 * it.
 *
 * <p><b>Reconnects.</b> Lettuce reconnects a dropped connection by itself (within 2 s of the
 * server's return: the delay is capped, as the gateway's is) and subscribes again to every
 * channel and pattern it had. Messages published in between are lost: pub/sub is at most once.
 * {@link #live()} says whether the subscriptions are confirmed since the last disconnect.
 *
 * <p><b>Knowing it is alive.</b> A subscribed connection only receives, so a half-open one (the
 * server stopped or hung, the flow dropped by a firewall) would look subscribed for ever. The
 * connection has TCP keepalive, and a heartbeat pings the server on it every second; a
 * subscriber that has heard nothing for 3 intervals is not live, and its
 * connection is closed so that Lettuce opens it again and subscribes anew (on a cluster's pub/sub
 * connection, which Lettuce does not let Weft close alone, it waits for TCP keepalive instead).
 *
 * <p><b>Dispatch.</b> Lettuce hands messages over on its I/O thread, which must not run user
 * code: a slow listener would stall the connection. Messages go instead to one dispatch thread
 * per subscriber, in the order received, through a bounded queue ({@value #QUEUE} messages); when
 * listeners fall that far behind, further messages are dropped and counted ({@link #dropped()})
 * with a warning, rather than held in memory without bound. Each message is read from JSON as the
 * receiving method's declared parameter type (generic types included, no type information in the
 * payload). A message that cannot be read, and a listener that throws, are logged and skipped;
 * delivery goes on.
 *
 * <p><b>Registration.</b> {@link #register} finds the {@link Subscribe} methods of an object
 * (public or not, inherited too) once, checks them, and throws naming the method, the attribute
 * and the fix for a method that cannot work, before subscribing anything of that object.
 *
 * <p>Instances are thread-safe.
 */
public final class Subscriber implements AutoCloseable {

  /** The most messages waiting for the dispatch thread; more are dropped. */
  public static final int QUEUE = 10_000;

  private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

  private final String url;
  private final ValueCodec codec;
  private final Map<String, List<Handler>> channels = new ConcurrentHashMap<>();
  private final Map<String, List<Handler>> patterns = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  // the name of the runtime it was started on, empty if none: listeners naming another are refused
  private final String runtime;
  private final ThreadPoolExecutor dispatch;
  private final AtomicLong dropped = new AtomicLong();
  private final RedisConnections.Client client;
  private final StatefulRedisPubSubConnection<String, byte[]> connection;
  private final Heartbeat heartbeat = new Heartbeat(Heartbeat.INTERVAL);
  private final ScheduledFuture<?> beating;

  private volatile boolean live;
  private volatile boolean closed;

  private Subscriber(
      RedisConnections connections, RedisEndpoint endpoint, ValueCodec codec, String runtime) {
    this.runtime = runtime;
    this.url = endpoint.url();
    this.codec = codec;
    this.dispatch = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "weft-subscriber");
          t.setDaemon(true);
          return t;
        });
    Events events = new Events();
    RedisConnections.Client created = null;
    try {
      created = connections.client(url, endpoint.timeout(), endpoint.timeout());
      created.addListener(events);
      this.connection = created.pubSub(RedisConnections.CODEC);
    } catch (RuntimeException e) {
      dispatch.shutdownNow();
      shutdown(created);
      throw new RedisUnavailableException(
          "cannot open a pub/sub connection to " + RedisUrls.redact(url) + ": " + e.getMessage(),
          e);
    }
    this.client = created;
    connection.addListener((RedisPubSubListener<String, byte[]>) events);
    live = true;
    heartbeat.heard();
    long beat = heartbeat.interval().toMillis();
    this.beating = connection.getResources().eventExecutorGroup()
        .scheduleWithFixedDelay(this::tick, beat, beat, TimeUnit.MILLISECONDS);
  }

  /** Every heartbeat interval, on Lettuce's event executor: never blocks. */
  private void tick() {
    if (closed) {
      return;
    }
    if (!heartbeat.silent()) {
      heartbeat.beat(connection);
      return;
    }
    if (live) {
      live = false;
      log.warn("Weft subscriber heard nothing from {} for {} ms; messages published until it"
              + " subscribes again are not received", RedisUrls.redact(url),
          heartbeat.bound().toMillis());
    }
    // a full bound for the new connection before the next verdict
    heartbeat.heard();
    if (!disconnect(connection)) {
      log.debug("the subscriber's connection cannot be closed alone; TCP keepalive ends it");
    }
  }

  /**
   * Closes the connection's socket, not the connection: Lettuce then reconnects and subscribes
   * again to every channel and pattern.
   *
   * @return whether it could (not for a cluster's pub/sub connection)
   */
  private static boolean disconnect(StatefulRedisPubSubConnection<?, ?> c) {
    if (!(c instanceof RedisChannelHandler<?, ?> handler)) {
      return false;
    }
    RedisChannelWriter writer = handler.getChannelWriter();
    while (writer instanceof CommandExpiryWriter expiry) {
      writer = expiry.getDelegate();
    }
    if (writer instanceof DefaultEndpoint endpoint) {
      endpoint.disconnect();
      return true;
    }
    return false;
  }

  static {
    PatternFactories.register(
        Subscriber.class,
        (weft, listeners, b, c, d) -> start(weft, (Object[]) listeners));
  }

  /**
   * Opens a subscriber on the runtime's Redis and registers {@code listeners}.
   *
   * @param weft the runtime whose Redis carries the messages, not {@code null}
   * @param listeners objects with {@link Subscribe} methods, none {@code null}
   * @return the running subscriber; close it to stop receiving
   * @throws IllegalArgumentException if a listener's method is not a valid {@link Subscribe}
   *     method (nothing is subscribed then)
   * @throws dev.weft.exception.WeftUnavailableException if Redis cannot be reached
   */
  static Subscriber start(Weft weft, Object... listeners) {
    Objects.requireNonNull(weft, "weft");
    List<ListenerMethod> methods = new ArrayList<>();
    for (Object listener : listeners) {
      methods.addAll(
          ListenerMethod.find(Objects.requireNonNull(listener, "listener"), weft.name()));
    }
    RedisGateway redis = WeftAccess.redis(weft);
    Subscriber subscriber =
        new Subscriber(redis.connections(), redis.endpoint(), redis.codec(), weft.name());
    try {
      methods.forEach(m -> subscriber.add(subscriber.handler(m)));
    } catch (RuntimeException e) {
      subscriber.close();
      throw e;
    }
    return subscriber;
  }

  /**
   * Subscribes the {@link Subscribe} methods of {@code listener}.
   *
   * @param listener an object with at least one {@link Subscribe} method, not {@code null}
   * @return one subscription per method, never empty
   * @throws IllegalArgumentException if a method is not a valid {@link Subscribe} method, or there
   *     is none (nothing is subscribed then)
   * @throws io.lettuce.core.RedisException if Redis did not confirm a subscription in time
   */
  public List<Subscription> register(Object listener) {
    Objects.requireNonNull(listener, "listener");
    List<ListenerMethod> methods = ListenerMethod.find(listener, runtime);
    if (methods.isEmpty()) {
      throw new IllegalArgumentException(listener.getClass().getName()
          + " has no method annotated @Subscribe: annotate a method taking the message, such as"
          + " @Subscribe(channel = \"prices\") void onPrice(Price price)");
    }
    List<Subscription> subscriptions = new ArrayList<>();
    for (ListenerMethod m : methods) {
      subscriptions.add(add(handler(m)));
    }
    return subscriptions;
  }

  /**
   * Subscribes {@code handler} to one channel.
   *
   * @param channel the channel's exact name, not {@code null} or empty
   * @param type the messages' type, not {@code null}; the runtime's codec must be able to read it
   * @param handler receives each message, on the dispatch thread; what it throws is logged
   * @param <T> the message type
   * @return the subscription, never {@code null}
   * @throws io.lettuce.core.RedisException if Redis did not confirm the subscription in time
   */
  public <T> Subscription subscribe(String channel, Class<T> type, Consumer<? super T> handler) {
    Objects.requireNonNull(handler, "handler");
    return add(new Handler(topic(channel, "channel"), false, type,
        "subscription to " + channel, (c, m) -> handler.accept(type.cast(m))));
  }

  /**
   * Subscribes {@code handler} to every channel matching a glob pattern.
   *
   * @param pattern a {@code PSUBSCRIBE} glob such as {@code "orders.*"}, not {@code null} or empty
   * @param type the messages' type, not {@code null}; the runtime's codec must be able to read it
   * @param handler receives each message's channel and the message, on the dispatch thread
   * @param <T> the message type
   * @return the subscription, never {@code null}
   * @throws io.lettuce.core.RedisException if Redis did not confirm the subscription in time
   */
  public <T> Subscription subscribePattern(
      String pattern, Class<T> type, BiConsumer<String, ? super T> handler) {
    Objects.requireNonNull(handler, "handler");
    return add(new Handler(topic(pattern, "pattern"), true, type,
        "subscription to pattern " + pattern, (c, m) -> handler.accept(c, type.cast(m))));
  }

  /**
   * @return whether every subscription is confirmed by Redis since the last disconnect: while
   *     {@code false}, messages published are not received
   */
  public boolean live() {
    return live && !closed;
  }

  /** @return how many messages were dropped because the dispatch queue was full */
  public long dropped() {
    return dropped.get();
  }

  /** Unsubscribes, closes the connection and stops the dispatch thread. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      channels.clear();
      patterns.clear();
    }
    beating.cancel(false);
    dispatch.shutdownNow();
    shutdown(client);
  }

  private Subscription add(Handler h) {
    Map<String, List<Handler>> map = h.pattern ? patterns : channels;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("this subscriber is closed");
      }
      List<Handler> list = map.computeIfAbsent(h.topic, t -> new CopyOnWriteArrayList<>());
      list.add(h);
      if (list.size() == 1) {
        try {
          if (h.pattern) {
            connection.sync().psubscribe(h.topic);
          } else {
            connection.sync().subscribe(h.topic);
          }
        } catch (RuntimeException e) {
          map.remove(h.topic);
          throw e;
        }
      }
    }
    return h;
  }

  private void remove(Handler h) {
    Map<String, List<Handler>> map = h.pattern ? patterns : channels;
    synchronized (lock) {
      List<Handler> list = map.get(h.topic);
      if (closed || list == null || !list.remove(h) || !list.isEmpty()) {
        return;
      }
      map.remove(h.topic);
      if (h.pattern) {
        connection.sync().punsubscribe(h.topic);
      } else {
        connection.sync().unsubscribe(h.topic);
      }
    }
  }

  private void received(List<Handler> handlers, String channel, byte[] payload) {
    if (handlers == null || handlers.isEmpty()) {
      return;
    }
    try {
      dispatch.execute(() -> {
        for (Handler h : handlers) {
          h.deliver(channel, payload);
        }
      });
    } catch (RejectedExecutionException e) {
      if (!closed) {
        long n = dropped.incrementAndGet();
        if (n == 1 || n % 1_000 == 0) {
          log.warn("Weft subscriber: listeners are {} messages behind; {} messages dropped so far",
              QUEUE, n);
        }
      }
    }
  }

  /** Lettuce's callbacks: messages, confirmations (on its I/O thread) and connection state. */
  private final class Events extends RedisPubSubAdapter<String, byte[]>
      implements RedisConnectionStateListener {
    @Override
    public void message(String channel, byte[] message) {
      heartbeat.heard();
      received(channels.get(channel), channel, message);
    }

    @Override
    public void message(String pattern, String channel, byte[] message) {
      heartbeat.heard();
      received(patterns.get(pattern), channel, message);
    }

    @Override
    public void subscribed(String channel, long count) {
      confirmed();
    }

    @Override
    public void psubscribed(String pattern, long count) {
      confirmed();
    }

    private void confirmed() {
      heartbeat.heard();
      if (!live) {
        live = true;
        log.info("Weft subscriber subscribed again to {}", RedisUrls.redact(url));
      }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
      if (live && !closed) {
        live = false;
        log.warn("Weft subscriber lost its connection to {}; messages published until it"
            + " subscribes again are not received", RedisUrls.redact(url));
      }
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
      // Lettuce resubscribes by itself; liveness returns with the confirmation, at once when
      // there is nothing to confirm.
      if (channels.isEmpty() && patterns.isEmpty()) {
        confirmed();
      }
    }
  }

  /** One channel or pattern and the method or function that receives it. */
  private final class Handler implements Subscription {
    final String topic;
    final boolean pattern;
    final TypedCodec codec;
    final String name;
    final Invoker invoker;

    Handler(String topic, boolean pattern, Type type, String name, Invoker invoker) {
      this.topic = topic;
      this.pattern = pattern;
      this.codec = TypedCodec.of(Subscriber.this.codec, Objects.requireNonNull(type, "type"));
      this.name = name;
      this.invoker = invoker;
    }

    void deliver(String channel, byte[] payload) {
      Object message;
      try {
        message = codec.decode(payload);
      } catch (IOException e) {
        log.warn("Weft subscriber: a message on {} cannot be read as {} for {}; skipped: {}",
            channel, codec.typeName(), name, e.getMessage());
        return;
      }
      try {
        invoker.invoke(channel, message);
      } catch (Throwable e) {
        log.warn("Weft subscriber: {} threw on a message from {}; delivery goes on", name,
            channel, e);
      }
    }

    @Override
    public String topic() {
      return topic;
    }

    @Override
    public boolean isPattern() {
      return pattern;
    }

    @Override
    public String handler() {
      return name;
    }

    @Override
    public void close() {
      remove(this);
    }

    @Override
    public String toString() {
      return "Subscription[" + (pattern ? "pattern " : "channel ") + topic + " -> " + name + "]";
    }
  }

  private Handler handler(ListenerMethod m) {
    return new Handler(m.topic(), m.pattern(), m.messageType(), m.describe(), m::invoke);
  }

  private static String topic(String topic, String what) {
    Objects.requireNonNull(topic, what);
    if (topic.isEmpty()) {
      throw new IllegalArgumentException("a " + what + " must not be empty");
    }
    return topic;
  }

  private static void shutdown(RedisConnections.Client redisClient) {
    try {
      if (redisClient != null) {
        redisClient.close();
      }
    } catch (RedisException e) {
      log.debug("error while closing a Weft subscriber", e);
    }
  }

  /** Calls a listener. */
  @FunctionalInterface
  interface Invoker {
    void invoke(String channel, Object message) throws Throwable;
  }
}
