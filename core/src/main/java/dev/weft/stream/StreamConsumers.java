package dev.weft.stream;

import dev.weft.Weft;
import dev.weft.annotation.StreamListener;
import dev.weft.codec.ValueCodec;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.redis.RedisConnections;
import dev.weft.internal.redis.RedisEndpoint;
import dev.weft.internal.redis.RedisGateway;
import io.lettuce.core.api.StatefulConnection;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the consumers of Redis streams: a listener container for methods annotated {@link
 * StreamListener}, and for handlers given in code. Created from a runtime, closed by the
 * application (it is not closed with the runtime).
 *
 * <pre>{@code
 * class Billing {
 *   @StreamListener(stream = "orders", group = "billing", minIdle = "30s", maxDeliveries = 5)
 *   void bill(Order order) { ... }
 * }
 *
 * try (StreamConsumers consumers = weft.streamConsumers(new Billing())) {
 *   consumers.listen("orders", "audit", Order.class, ConsumerOptions.defaults(),
 *       (order, entryId) -> audit.record(order));
 *   ...
 * }                                  // stops the loops after the entry in hand
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * <b>At least once.</b> Each listener gets a consumer loop: {@code XREADGROUP ... >} reads new
 * entries for its consumer, the listener runs, and {@code XACK} follows only when it returned
 * normally. Until then the entry stays in the group's pending entries list (PEL), owned by that
 * consumer. A listener that throws leaves it there; a consumer that dies ({@code kill -9}) leaves
 * all it had read. Every loop also runs {@code XAUTOCLAIM} (at start, then every half {@code
 * minIdle}, between 100 ms and 10 s), which transfers to it the entries pending longer than
 * {@code minIdle}, whoever owned them, and processes them like new ones. So an entry is lost only
 * if the stream itself loses it (trimming, or a server that restarts without persistence), and
 * may be processed twice: listeners should be idempotent.
 *
 * <p><b>Dead letters.</b> The group counts deliveries (a read counts one, each claim another;
 * {@code XPENDING} reports it). When a listener throws on an entry's {@code maxDeliveries}-th
 * delivery, or a claim finds an entry delivered more often than that (its consumers kept dying on
 * it), the entry is added to the stream {@code <stream>:dead} with its id, group, consumer,
 * delivery count, the error, and the payload, then acknowledged. An entry that cannot be read as
 * the listener's type is dead-lettered at once: retrying cannot fix it. The dead-letter stream is
 * trimmed to about {@value ConsumerLoop#DEAD_LETTER_MAX_LEN} entries.
 *
 * <p><b>Own connections.</b> {@code XREADGROUP} with {@code BLOCK} holds its connection until
 * entries arrive or the block ends, so each loop has its own connection (from a client of this
 * container's, which shares the runtime's threads: see {@link RedisConnections}), never the
 * runtime's shared, pipelined one, which would stall every other caller. Closing the runtime
 * therefore stops the loops' reads too. Blocks last at most a second, so that loops notice {@link #close()} and claims come due
 * on time; the connection's timeout is that second plus the runtime's command timeout. Each loop
 * runs on its own platform thread from this container's executor (Java 17 has no virtual
 * threads); a loop needs one thread whether it blocks in Redis or in the listener.
 *
 * <p><b>Groups and outages.</b> A loop creates its group ({@code XGROUP CREATE ... MKSTREAM},
 * {@code BUSYGROUP} ignored) at the start of the stream ({@code 0}), not at its end, so that
 * entries added before the first consumer ever ran are processed too. While Redis is down the
 * loop logs once, retries with back-off (10 ms to 1 s) and goes on when Redis is back; commands
 * are rejected while disconnected, never queued. A server restarted without persistence has lost
 * the stream and its groups: the next read answers {@code NOGROUP}, and the loop creates the group
 * again (at {@code 0} again, so entries added since the restart are not skipped). Entries pending
 * before the restart are gone with the data.
 *
 * <p><b>Consumers.</b> An unnamed consumer is called {@code weft-<pid>-<random>}, unique per loop.
 * Consumers of dead processes stay listed in the group (empty once their entries are claimed);
 * {@code XGROUP DELCONSUMER} removes them.
 *
 * <p>Instances are thread-safe.
 */
public final class StreamConsumers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamConsumers.class);

  private final Duration connectionTimeout;
  private final RedisConnections.Client client;
  private final ExecutorService executor;
  private final List<ConsumerLoop> loops = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private final ValueCodec codec;
  // the name of the runtime it was started on, empty if none: listeners naming another are refused
  private final String runtime;
  private boolean closed;

  private StreamConsumers(
      RedisConnections connections, RedisEndpoint endpoint, ValueCodec codec, String runtime) {
    this.codec = codec;
    this.runtime = runtime;
    this.connectionTimeout = ConsumerLoop.MAX_BLOCK.plus(endpoint.timeout());
    this.client = connections.client(endpoint.url(), connectionTimeout, endpoint.timeout());
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "weft-stream-consumer-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  static {
    PatternFactories.register(
        StreamConsumers.class,
        (weft, listeners, b, c, d) -> start(weft, (Object[]) listeners));
  }

  /**
   * Starts a container on the runtime's Redis with a consumer loop for each {@link
   * StreamListener} method of {@code listeners}. Returns without waiting for Redis: loops connect,
   * and retry, in the background.
   *
   * @param weft the runtime whose Redis holds the streams, not {@code null}
   * @param listeners objects with {@link StreamListener} methods, none {@code null}
   * @return the running container; close it to stop the loops
   * @throws IllegalArgumentException if a method is not a valid {@link StreamListener} method
   *     (nothing is started then)
   */
  static StreamConsumers start(Weft weft, Object... listeners) {
    Objects.requireNonNull(weft, "weft");
    List<ListenerMethod> methods = new ArrayList<>();
    for (Object listener : listeners) {
      methods.addAll(
          ListenerMethod.find(Objects.requireNonNull(listener, "listener"), weft.name()));
    }
    RedisGateway redis = WeftAccess.redis(weft);
    StreamConsumers consumers =
        new StreamConsumers(redis.connections(), redis.endpoint(), redis.codec(), weft.name());
    methods.forEach(consumers::launch);
    return consumers;
  }

  /**
   * Starts a consumer loop for each {@link StreamListener} method of {@code listener}.
   *
   * @param listener an object with at least one {@link StreamListener} method, not {@code null}
   * @return the loops' consumer names, in the order of the methods found
   * @throws IllegalArgumentException if a method is not valid, or there is none (nothing is
   *     started then)
   */
  public List<String> register(Object listener) {
    Objects.requireNonNull(listener, "listener");
    List<ListenerMethod> methods = ListenerMethod.find(listener, runtime);
    if (methods.isEmpty()) {
      throw new IllegalArgumentException(listener.getClass().getName()
          + " has no method annotated @StreamListener: annotate a method taking the message,"
          + " such as @StreamListener(stream = \"orders\", group = \"billing\") void bill(Order"
          + " order)");
    }
    List<String> names = new ArrayList<>();
    for (ListenerMethod m : methods) {
      names.add(launch(m));
    }
    return names;
  }

  /**
   * Starts a consumer loop that hands each entry of {@code stream}, read as {@code type}, to
   * {@code handler} as a consumer of {@code group}.
   *
   * @param stream the stream's key, not {@code null} or empty
   * @param group the consumer group, not {@code null} or empty; created when absent
   * @param type the messages' type, not {@code null}; the runtime's codec must be able to read it
   * @param options the consumer's name, idle time, delivery limit and batch, not {@code null}
   * @param handler processes each entry; returning acknowledges it, throwing leaves it pending
   * @param <T> the message type
   * @return the loop's consumer name, never {@code null}
   * @throws IllegalArgumentException if {@code stream} or {@code group} is empty
   * @throws IllegalStateException if this container is closed
   */
  public <T> String listen(String stream, String group, Class<T> type, ConsumerOptions options,
      StreamHandler<? super T> handler) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(handler, "handler");
    return launch(stream, group, type, options, "handler of " + stream + "/" + group,
        (m, id) -> handler.handle(type.cast(m), id));
  }

  /** @return the consumer names of the running loops, in start order, never {@code null} */
  public List<String> consumers() {
    return loops.stream().map(ConsumerLoop::consumerName).toList();
  }

  /**
   * Stops every loop after the entry it is processing (entries read but not yet processed stay
   * pending, to be claimed by another consumer), waits for them up to a few seconds, and closes
   * the connections. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    loops.forEach(ConsumerLoop::stop);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(connectionTimeout.toMillis() + 2_000, TimeUnit.MILLISECONDS)) {
        log.warn("Weft stream consumers: a listener is still running; interrupting it");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
    try {
      client.close();
    } catch (RuntimeException e) {
      log.debug("error while closing the stream consumers' client", e);
    }
  }

  private String launch(ListenerMethod m) {
    return launch(m.stream(), m.group(), m.messageType(), m.options(), m.describe(), m::invoke);
  }

  private String launch(String stream, String group, Type type, ConsumerOptions options,
      String listener, ConsumerLoop.Invoker invoker) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(options, "options");
    if (stream.isEmpty() || group.isEmpty()) {
      throw new IllegalArgumentException("a stream's key and a group's name must not be empty,"
          + " such as \"orders\" and \"billing\"");
    }
    String name = options.consumer().isEmpty() ? generatedName() : options.consumer();
    ConsumerLoop loop = new ConsumerLoop(stream, group, name, options,
        TypedCodec.of(codec, type), listener, invoker,
        this::connect, StreamConsumers::commands);
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("these stream consumers are closed");
      }
      loops.add(loop);
      executor.execute(loop);
    }
    return name;
  }

  private StatefulConnection<String, byte[]> connect() {
    return client.dedicated();
  }

  private static io.lettuce.core.cluster.api.sync.RedisClusterCommands<String, byte[]> commands(
      StatefulConnection<String, byte[]> c) {
    return RedisConnections.sync(c);
  }

  private static String generatedName() {
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return "weft-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
  }
}
