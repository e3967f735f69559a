package dev.weft.internal.redis;

import dev.weft.codec.ValueCodec;
import dev.weft.internal.codec.JsonCodec;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weft's one connection to Redis, standalone or cluster, the only place that runs scripts, and
 * the one place that decides and logs whether Redis is available.
 *
 * <h2>Design</h2>
 *
 * Lettuce connections are thread-safe and pipelined, so a single connection serves every caller;
 * a pool would only add hand-offs. Keys are UTF-8 strings and values raw bytes, because values are
 * JSON that Jackson writes straight to bytes.
 *
 * <p><b>Connecting.</b> Connections are opened on the gateway's own thread ({@code
 * weft-redis-connect}, one at most, started only then and gone when idle), never on a caller's,
 * so that building a runtime (or loading a woven class) never blocks on the network. The runtime
 * {@linkplain #start() starts} the first connect as soon as it exists. That first connect has a
 * bound of its own, the connect timeout (TCP connect and handshake), separate from the command
 * timeout: in a process that has just started, loading Lettuce and Netty and opening the first
 * connection can take longer than a command may. A call that arrives while the first connect is
 * under way waits for it, up to that bound, outside the breaker: "not connected yet" is not an
 * outage, so the first calls of a process keep every guarantee (one load for a stampede, exact
 * limits, locks) rather than take the failure policy. Only when the first connect fails or runs
 * out of its bound do calls go on to the breaker and their failure policy. A later connect (after
 * a failed one, Lettuce reconnects established connections by itself) is started by the call that
 * finds no connection; callers that arrive while it runs share it and wait at most the command
 * timeout, and all fail at once if it fails, so a dead server costs each caller one timeout at
 * most, never one per queued caller.
 *
 * <p><b>Bounded waits.</b> The command timeout ({@link RedisTimeouts}, else {@code
 * Weft.DEFAULT_COMMAND_TIMEOUT}) bounds each command and a caller's wait for a connect after the
 * first. The default of 1 s is far above a healthy Redis's latency but above its routine
 * stalls too (a fork for BGSAVE, an fsync, a large DEL), which should not count as outages; the
 * breaker, not a tight timeout, is what keeps a real outage cheap. A call that fails after
 * waiting at least half a timeout marks its thread: that thread's calls in the next timeout fail
 * at once, unsent and uncounted. A caller whose one operation makes several calls (a cache read,
 * then a store) thus waits out one timeout, not one per call, before the breaker opens.
 *
 * <p><b>Circuit breaker.</b> Every call passes a Resilience4j circuit breaker (Nygard, <i>Release
 * It!</i>, "Circuit Breaker"). Every failure is classified once, by {@link RedisFailure}: an
 * outage-like kind (the connection, a timeout, a rejected command, and the replies that say the
 * server cannot serve this call, from {@code LOADING} to {@code OOM}, {@code NOPERM} and {@code
 * NOAUTH}; see {@link FailureKind}) is thrown as {@link RedisUnavailableException}, to which every
 * pattern applies its failure policy, and a defect ({@code WRONGTYPE}, a failing script) is thrown
 * as the {@link RedisException} it is. The breaker counts the kinds that make every command fail
 * (see {@link FailureKind#countsAgainstBreaker()}; {@code OOM}, {@code NOPERM} and {@code
 * TRYAGAIN} it ignores, for the reasons in {@link RedisFailure}), and defects prove the server
 * alive and count as successes. Each failure is counted in {@code weft.redis.errors} by kind
 * ({@link RedisMetrics}). {@code READONLY} means the connection reaches a replica, a stale master
 * after a failover: the gateway then drops the connection (at most once per {@link #OPEN_WAIT}),
 * and the next call opens a new one, which finds the current master where the address or
 * Sentinel names it. Once the last
 * {@value #WINDOW} calls were all outages, the breaker opens: {@value #WINDOW} consecutive
 * failures. A success never opens it: a breaker that judged the share of outages over a longer
 * window would open on the second answer of a server that has just come back (three failures,
 * then two successes, is 60%) and refuse it for {@link #OPEN_WAIT}. While open, every call fails at once with {@link RedisUnavailableException}
 * without touching the network, so a slow or black-holed server stops costing callers a timeout
 * each. After {@link #OPEN_WAIT} the next call is let through as a probe ({@code
 * permittedNumberOfCallsInHalfOpenState = 1}): if Redis answers the breaker closes, else it opens
 * again. Connects after the first are started by calls the breaker let through, so a server
 * that is down at start-up is tried once per {@link #OPEN_WAIT} after the first few failures;
 * waiting for the first connect is not counted. Transitions are logged by {@link OutageLog}:
 * one WARN per outage (plus a reminder per minute), one INFO at its end, never a line per call.
 *
 * <p><b>Nothing piles up, nothing runs twice.</b> Lettuce would by default queue commands while
 * disconnected and replay them after a reconnect. Weft rejects them instead ({@link
 * ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}): callers fail at once, and in Lettuce 7 the
 * same option makes commands in flight when the connection drops fail ("Connection disconnected")
 * rather than wait for replay, so nothing is sent twice. Lettuce still reconnects by itself in the
 * background, with the capped, jittered delay of {@link RedisConnections}, where the connection
 * and its options come from. A server that is connected but slow fills Lettuce's in-flight stack
 * instead (timed-out commands stay in it until their reply arrives); {@link
 * ClientOptions#getRequestQueueSize()} caps it at {@value RedisConnections#REQUEST_QUEUE_SIZE}
 * commands, above which commands are rejected at once, which also counts against the breaker.
 *
 * <p>After the first connect that succeeds, the same thread reads the server's eviction policy
 * once and warns when Redis may evict Weft's locks, queues or streams ({@link EvictionCheck}).
 *
 * <p>Scripts are run by EVALSHA; the one NOSCRIPT fallback (after a server restart or a failover
 * the script cache is empty) is in {@link #run} and, for {@link #runAsync}, in its asynchronous
 * twin: EVAL sends the body, which also loads it.
 *
 * <p><b>Fire and forget.</b> {@link #runAsync} is for callers that must not wait for Redis at all
 * ({@code @Counted}'s increments): the command goes through the same breaker, timeout and outage
 * log, but is written to the connection and the caller's thread returns at once; the reply, or
 * the failure, completes a future on Lettuce's I/O thread. The connection is the same one, so
 * nothing is added per call but the future. Until the connection is open, such commands wait
 * (without blocking the caller) for the connect, as synchronous calls do; while the breaker is
 * open they fail at once, unsent. Lettuce's bounded request queue
 * also bounds how many of them a slow server can leave waiting for a reply.
 *
 * <p><b>Sentinel and replica reads.</b> A {@code redis-sentinel://} URL connects through
 * Lettuce's Sentinel support: the master's address is asked of the sentinels at every connect and
 * reconnect, and Sentinel closes the client connections of a master it demotes, so after a
 * failover the reconnect finds the new master. With {@link
 * ConnectionOptions#readCacheFromReplicas()} the gateway opens a second connection that reads
 * from a replica when there is one ({@link RedisConnections.Client#replicaReads()}). Only {@link
 * #executeCacheRead} uses it: every write, lock, limit and script stays on the master, and the
 * breaker, timeout and outage log are the same. A replica connection that cannot be opened is
 * logged once and the reads stay on the master.
 *
 * <p>On a cluster one breaker guards the whole cluster: it opens when half the calls fail (the
 * cluster or the network is down), usually not when one master of several is (then only the
 * share of calls for its slots fails, and those fail at once as long as that node's connection
 * is down).
 */
public final class RedisGateway implements AutoCloseable {

  /**
   * How long the breaker stays open before one call may try Redis again, unless the runtime's
   * builder says otherwise ({@link GatewaySettings#breakerOpenWait()}).
   */
  static final Duration OPEN_WAIT = GatewaySettings.DEFAULTS.breakerOpenWait();

  /** How many consecutive outages open the breaker. */
  static final int WINDOW = 5;

  private static final Logger log = LoggerFactory.getLogger(RedisGateway.class);

  /** What the breaker reports, for health views. */
  public enum State {
    /** Calls go to Redis: it answered lately, or it has not been tried yet. */
    CLOSED,
    /** Calls fail at once without going to Redis, until the wait is over. */
    OPEN,
    /** A probe call is finding out whether Redis answers again; other calls fail at once. */
    HALF_OPEN
  }

  private final RedisConnections connections;
  /** Whether {@link #connections} were made for this gateway alone, and close with it. */
  private final boolean ownsConnections;
  private final String url;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final int requestQueueSize;
  private final ConnectionOptions options;
  private final ValueCodec codec;
  private final KeySpace keys;
  private final CircuitBreaker breaker;
  private final OutageLog outages;
  private final RedisMetrics metrics;
  /** How long the breaker stays open; {@link #OPEN_WAIT} unless the runtime's builder said. */
  private final Duration openWait;
  /** The runtime's Micrometer registry, or {@code null} for the global one. */
  private final Object meterRegistry;
  /** When a READONLY reply last dropped the connection; see Design. */
  private final AtomicLong lastReresolveNanos;
  private final ReentrantLock connectLock = new ReentrantLock();
  /** When a call of this thread last waited (most of) a timeout for an outage; see Design. */
  private final ThreadLocal<Long> waitedOutOnThisThread = new ThreadLocal<>();

  private volatile RedisClusterCommands<String, byte[]> commands;
  private volatile RedisClusterAsyncCommands<String, byte[]> asyncCommands;
  /** The connect under way on the gateway's thread, while there is one; see Design. */
  private final AtomicReference<CompletableFuture<Void>> connecting = new AtomicReference<>();
  /** The first connect ever started, once started; see Design. */
  private volatile CompletableFuture<Void> firstConnect;
  /** When calls stop waiting for {@link #firstConnect}, in {@link System#nanoTime()} terms. */
  private volatile long firstConnectDeadline;
  /** Completed once {@link EvictionCheck} has run after the first successful connect. */
  private final CompletableFuture<Void> evictionChecked = new CompletableFuture<>();
  private final ThreadPoolExecutor connector;
  private volatile boolean closed;
  private RedisConnections.Client client;
  private StatefulConnection<String, byte[]> connection;
  /** Reads that may go to a replica; {@code null} when they go to the master. */
  private volatile RedisClusterCommands<String, byte[]> replicaReads;
  private StatefulConnection<String, byte[]> replicaConnection;

  /**
   * A gateway with connections of its own, closed with it, whose connect timeout is the command
   * timeout. It connects at its first call.
   *
   * @param url a Redis URL (see {@link RedisUrls}), not {@code null}
   * @param commandTimeout how long one command, a connect or a handshake may take before it
   *     fails, positive
   */
  public RedisGateway(String url, Duration commandTimeout) {
    this(new RedisConnections(), true, url, commandTimeout, commandTimeout,
        RedisConnections.REQUEST_QUEUE_SIZE);
  }

  /**
   * A gateway whose connection comes from a runtime's factory, which outlives it. It connects at
   * {@link #start()} or its first call, whichever comes first.
   *
   * @param connections the runtime's connection factory, not {@code null}
   * @param url a Redis URL (see {@link RedisUrls}), not {@code null}
   * @param commandTimeout how long one command may take before it fails, positive
   * @param connectTimeout how long opening the connection (TCP connect and handshake) may take,
   *     and how long calls wait for the first connect, positive
   */
  public RedisGateway(
      RedisConnections connections, String url, Duration commandTimeout, Duration connectTimeout) {
    this(connections, url, commandTimeout, connectTimeout, connections.options());
  }

  /**
   * As {@link #RedisGateway(RedisConnections, String, Duration, Duration)}, with other connection
   * options than the factory's (a Redlock master: the same TLS material, its own credentials).
   *
   * @param options TLS material, credentials provider and read routing, not {@code null}
   */
  public RedisGateway(
      RedisConnections connections, String url, Duration commandTimeout, Duration connectTimeout,
      ConnectionOptions options) {
    this(connections, url, commandTimeout, connectTimeout, options, KeySpace.NONE);
  }

  /**
   * As {@link #RedisGateway(RedisConnections, String, Duration, Duration, ConnectionOptions)},
   * for a runtime whose keys live in {@code keys}.
   *
   * @param keys the runtime's key space, not {@code null}
   */
  public RedisGateway(
      RedisConnections connections, String url, Duration commandTimeout, Duration connectTimeout,
      ConnectionOptions options, KeySpace keys) {
    this(connections, url, commandTimeout, connectTimeout, options, keys, JsonCodec.shared());
  }

  /**
   * As {@link #RedisGateway(RedisConnections, String, Duration, Duration, ConnectionOptions,
   * KeySpace)}, for a runtime whose values go through {@code codec}.
   *
   * @param codec the runtime's codec of values, not {@code null}
   */
  public RedisGateway(
      RedisConnections connections, String url, Duration commandTimeout, Duration connectTimeout,
      ConnectionOptions options, KeySpace keys, ValueCodec codec) {
    this(connections, url, commandTimeout, connectTimeout, options, keys, codec,
        GatewaySettings.DEFAULTS);
  }

  /**
   * As {@link #RedisGateway(RedisConnections, String, Duration, Duration, ConnectionOptions,
   * KeySpace, ValueCodec)}, with the runtime's breaker wait and meter registry.
   *
   * @param settings the breaker's open wait and the meter registry, not {@code null}
   */
  public RedisGateway(
      RedisConnections connections, String url, Duration commandTimeout, Duration connectTimeout,
      ConnectionOptions options, KeySpace keys, ValueCodec codec, GatewaySettings settings) {
    this(connections, false, url, commandTimeout, connectTimeout,
        RedisConnections.REQUEST_QUEUE_SIZE, options, keys, codec, settings);
  }

  /** As {@link #RedisGateway(String, Duration)}, with another bound on in-flight commands. */
  RedisGateway(String url, Duration commandTimeout, int requestQueueSize) {
    this(new RedisConnections(), true, url, commandTimeout, commandTimeout, requestQueueSize);
  }

  private RedisGateway(
      RedisConnections connections, boolean ownsConnections, String url, Duration commandTimeout,
      Duration connectTimeout, int requestQueueSize) {
    this(connections, ownsConnections, url, commandTimeout, connectTimeout, requestQueueSize,
        connections.options(), KeySpace.NONE, JsonCodec.shared(), GatewaySettings.DEFAULTS);
  }

  private RedisGateway(
      RedisConnections connections, boolean ownsConnections, String url, Duration commandTimeout,
      Duration connectTimeout, int requestQueueSize, ConnectionOptions options, KeySpace keys,
      ValueCodec codec, GatewaySettings settings) {
    this.openWait = settings.breakerOpenWait();
    this.meterRegistry = settings.meterRegistry();
    this.lastReresolveNanos = new AtomicLong(System.nanoTime() - openWait.toNanos());
    this.options = options;
    this.keys = keys;
    this.codec = Objects.requireNonNull(codec, "codec");
    this.connections = connections;
    this.ownsConnections = ownsConnections;
    this.url = url;
    this.commandTimeout = commandTimeout;
    this.connectTimeout = connectTimeout;
    this.requestQueueSize = requestQueueSize;
    this.outages = new OutageLog(describe(), openWait, keys);
    this.breaker =
        CircuitBreaker.of(
            "weft-redis " + describe(),
            CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(WINDOW)
                .failureRateThreshold(100)
                .waitDurationInOpenState(openWait)
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(RedisGateway::countsAgainstBreaker)
                .ignoreException(RedisGateway::ignoredByBreaker)
                .build());
    breaker.getEventPublisher()
        .onStateTransition(event -> outages.transitioned(event.getStateTransition()));
    this.metrics = RedisMetrics.create(meterRegistry, describe(), this::state);
    this.connector =
        new ThreadPoolExecutor(
            1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "weft-redis-connect");
              t.setDaemon(true);
              return t;
            });
    connector.allowCoreThreadTimeOut(true);
  }

  /** @return the key space of the runtime this gateway serves: where its keys live */
  public KeySpace keys() {
    return keys;
  }

  /**
   * @return the codec of the runtime this gateway serves: how every pattern made from it writes
   *     and reads its values (keys are Weft's own whatever the codec)
   */
  public ValueCodec codec() {
    return codec;
  }

  /** @return the URL with any password redacted, for messages */
  public String describe() {
    return RedisUrls.redact(url);
  }

  /**
   * @return whether calls currently go to Redis (the breaker is closed); {@code true} before the
   *     first call too
   */
  public boolean isAvailable() {
    return state() == State.CLOSED;
  }

  /** @return the circuit breaker's state, never {@code null} */
  public State state() {
    return switch (breaker.getState()) {
      case CLOSED, DISABLED, METRICS_ONLY -> State.CLOSED;
      case HALF_OPEN -> State.HALF_OPEN;
      case OPEN, FORCED_OPEN -> State.OPEN;
    };
  }

  /**
   * Runs a script with EVALSHA, falling back to EVAL when the server does not know it, and
   * decodes its reply.
   *
   * @param call the script with its KEYS (all in one hash slot on a cluster) and ARGV, not {@code
   *     null}
   * @param <R> the script's decoded reply type
   * @return the decoded reply, {@code null} for a nil reply
   * @throws RedisUnavailableException if Redis is unreachable, slow, or was so moments ago
   * @throws RedisException if Redis answers an error
   * @throws IllegalStateException if the reply is not what the script answers (a broken script)
   */
  public <R> R run(Script.Call<R> call) {
    Script<R> script = call.script();
    LuaScript lua = script.lua();
    ScriptOutputType output = script.output();
    String[] keys = call.keys();
    byte[][] args = call.argv();
    Object reply =
        execute(
            c -> {
              try {
                return c.evalsha(lua.sha(), output, keys, args);
              } catch (RedisNoScriptException e) {
                return c.eval(lua.body(), output, keys, args);
              }
            });
    return script.decode(reply);
  }

  /**
   * Runs a script as {@link #run} does, without waiting for its reply: the command is written to
   * the connection and this method returns (see Design, "Fire and forget"). Timeouts, the circuit
   * breaker and outage logging apply as to every other call.
   *
   * @param call the script with its KEYS (all in one hash slot on a cluster) and ARGV, not {@code
   *     null}
   * @param <R> the script's decoded reply type
   * @return a future of the decoded reply (may complete with {@code null} for a nil reply); it
   *     completes on Lettuce's I/O thread, so what depends on it must not block. It completes
   *     exceptionally with {@link RedisUnavailableException} if Redis is unreachable, slow, or was
   *     so moments ago (the breaker is open), or this gateway is closed, with {@link
   *     RedisException} if Redis answers an error, and with {@link IllegalStateException} if the
   *     reply is not what the script answers; the reply's decoding, a dependent stage, wraps these
   *     in a {@link CompletionException}. Never {@code null}; this method never throws
   */
  public <R> CompletableFuture<R> runAsync(Script.Call<R> call) {
    Script<R> script = call.script();
    return this.<Object>sendScript(script.lua(), script.output(), call.keys(), call.argv())
        .thenApply(script::decode);
  }

  private <T> CompletableFuture<T> sendScript(
      LuaScript script, ScriptOutputType output, String[] keys, byte[][] args) {
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    RedisClusterAsyncCommands<String, byte[]> c = asyncCommands;
    if (c != null) {
      return send(c, script, output, keys, args);
    }
    return whenConnected()
        .thenCompose(
            connected -> {
              RedisClusterAsyncCommands<String, byte[]> now = asyncCommands;
              return now != null
                  ? send(now, script, output, keys, args)
                  : CompletableFuture.<T>failedFuture(closedException());
            });
  }

  /** Sends one script through the breaker; the reply settles the breaker and the future. */
  private <T> CompletableFuture<T> send(
      RedisClusterAsyncCommands<String, byte[]> c, LuaScript script, ScriptOutputType output,
      String[] keys, byte[][] args) {
    if (!breaker.tryAcquirePermission()) {
      return CompletableFuture.failedFuture(outages.refused());
    }
    long start = System.nanoTime();
    CompletionStage<T> reply;
    try {
      reply =
          c.<T>evalsha(script.sha(), output, keys, args)
              .exceptionallyCompose(
                  failure ->
                      cause(failure) instanceof RedisNoScriptException
                          ? c.<T>eval(script.body(), output, keys, args)
                          : CompletableFuture.<T>failedStage(failure));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedStage(e);
    } catch (Error e) {
      breaker.releasePermission();
      throw e;
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    reply.whenComplete(
        (value, failure) -> {
          long took = System.nanoTime() - start;
          if (failure == null) {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            result.complete(value);
            return;
          }
          Throwable cause = cause(failure);
          FailureKind kind = noted(cause, c);
          if (kind != null && kind.outage()) {
            breaker.onError(took, TimeUnit.NANOSECONDS, cause);
            result.completeExceptionally(unavailable(cause, kind));
          } else {
            // an error reply counts as a success (Redis answered), anything else is ignored
            breaker.onError(took, TimeUnit.NANOSECONDS, cause);
            result.completeExceptionally(cause);
          }
        });
    return result;
  }

  /**
   * Starts connecting on the gateway's thread, unless the connection is open or opening; returns
   * at once. The runtime calls it as soon as it exists; see Design, "Connecting".
   */
  public void start() {
    attempt();
  }

  /**
   * @return the connect under way, or a new one started on the gateway's thread (one at a time;
   *     callers share it); completed at once when the connection is open
   */
  private CompletableFuture<Void> attempt() {
    while (true) {
      if (commands != null) {
        return CompletableFuture.completedFuture(null);
      }
      if (closed) {
        return CompletableFuture.failedFuture(closedException());
      }
      CompletableFuture<Void> pending = connecting.get();
      if (pending != null) {
        return pending;
      }
      CompletableFuture<Void> mine = new CompletableFuture<>();
      if (!connecting.compareAndSet(null, mine)) {
        continue;
      }
      if (firstConnect == null) {
        firstConnectDeadline = System.nanoTime() + connectTimeout.toNanos();
        firstConnect = mine;
      }
      try {
        connector.execute(
            () -> {
              Throwable failure = null;
              try {
                open();
              } catch (RuntimeException | Error e) {
                failure = e;
              }
              // cleared first, so that a caller woken below never finds this attempt again
              connecting.compareAndSet(mine, null);
              if (failure == null) {
                mine.complete(null);
                checkEvictionOnce();
              } else {
                mine.completeExceptionally(failure);
              }
            });
      } catch (RejectedExecutionException e) {
        connecting.compareAndSet(mine, null);
        mine.completeExceptionally(closedException());
      }
      return mine;
    }
  }

  /**
   * Runs {@link EvictionCheck} after the first connect that succeeded, on the gateway's thread and
   * after the callers waiting for that connect were released; once per gateway.
   */
  private void checkEvictionOnce() {
    if (evictionChecked.isDone()) {
      return;
    }
    RedisClusterCommands<String, byte[]> c = commands;
    try {
      if (c != null) {
        EvictionCheck.run(c, describe());
      }
    } finally {
      evictionChecked.complete(null);
    }
  }

  /**
   * @return a future that completes once the server's eviction policy has been read (and warned
   *     about, see {@link EvictionCheck}) or found unreadable, after the first successful connect;
   *     never exceptionally
   */
  public CompletableFuture<Void> evictionChecked() {
    return evictionChecked.copy();
  }

  /**
   * While the first connect is under way, waits for it, up to the connect timeout from its start:
   * outside the breaker, since "not connected yet" is not an outage. Starts it if no call or
   * {@link #start()} has. Returns at once afterwards, whatever the first connect's outcome.
   */
  private void awaitFirstConnect() {
    if (commands != null) {
      return;
    }
    CompletableFuture<Void> first = firstConnect;
    if (first == null) {
      attempt();
      first = firstConnect;
    }
    if (first == null || first.isDone()) {
      return;
    }
    long left = firstConnectDeadline - System.nanoTime();
    if (left <= 0) {
      return;
    }
    try {
      first.get(left, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisCommandInterruptedException(e);
    } catch (ExecutionException | TimeoutException e) {
      // the failure policy applies from here on: the caller goes on to the breaker
    }
  }

  /**
   * As {@link #awaitFirstConnect()} without blocking: completes when the first connect has
   * succeeded, failed or run out of its bound; never exceptionally.
   */
  private CompletableFuture<Void> firstConnectSettled() {
    CompletableFuture<Void> first = firstConnect;
    if (first == null) {
      attempt();
      first = firstConnect;
    }
    if (first == null || first.isDone()) {
      return CompletableFuture.completedFuture(null);
    }
    long left = Math.max(0, firstConnectDeadline - System.nanoTime());
    return first
        .exceptionally(failure -> null)
        .completeOnTimeout(null, left, TimeUnit.NANOSECONDS);
  }

  /**
   * @return a future that completes when the connection is open: after the first connect (see
   *     {@link #firstConnectSettled()}), through the breaker as a synchronous call's connect; at
   *     once exceptionally while the breaker is open
   */
  private CompletableFuture<Void> whenConnected() {
    return firstConnectSettled()
        .thenCompose(
            settled -> {
              if (asyncCommands != null) {
                return CompletableFuture.<Void>completedFuture(null);
              }
              if (!breaker.tryAcquirePermission()) {
                return CompletableFuture.<Void>failedFuture(outages.refused());
              }
              long start = System.nanoTime();
              CompletableFuture<Void> connected = new CompletableFuture<>();
              attempt()
                  .copy()
                  .orTimeout(commandTimeout.toNanos(), TimeUnit.NANOSECONDS)
                  .whenComplete(
                      (ok, failure) -> {
                        long took = System.nanoTime() - start;
                        if (failure == null) {
                          breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                          connected.complete(null);
                          return;
                        }
                        RuntimeException e = connectFailure(cause(failure));
                        if (isOutage(e)) {
                          outages.failed(e);
                          breaker.onError(took, TimeUnit.NANOSECONDS, e);
                          connected.completeExceptionally(
                              new RedisUnavailableException(
                                  "Redis at " + describe() + " failed: " + OutageLog.describe(e),
                                  e));
                        } else {
                          breaker.releasePermission();
                          connected.completeExceptionally(e);
                        }
                      });
              return connected;
            });
  }

  /** @return what a connect that failed with {@code failure} means for its callers */
  private RuntimeException connectFailure(Throwable failure) {
    if (failure instanceof RedisUnavailableException unavailable) {
      return unavailable;
    }
    if (failure instanceof TimeoutException) {
      return new RedisConnectionException(
          "could not connect to " + describe() + " within " + commandTimeout.toMillis() + " ms");
    }
    if (failure instanceof RedisConnectionException connection) {
      return connection;
    }
    return new RedisConnectionException(
        "could not connect to " + describe() + ": " + Secrets.redact(failure.getMessage()),
        Secrets.scrub(failure));
  }

  /** @return the failure inside a future's wrapper, or {@code failure} itself */
  private static Throwable cause(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Runs one or more commands. Every Redis access of Weft goes through here (or {@link #run}), so
   * that timeouts, the circuit breaker and failure logging apply to all of them alike. Each
   * command of {@code command} may take up to the command timeout.
   *
   * @param command the commands to run on the synchronous interface, not {@code null}
   * @param <T> the result type
   * @return what {@code command} returns
   * @throws RedisUnavailableException if Redis is unreachable, slow, or was so moments ago (the
   *     breaker is open), or this gateway is closed; already logged by the gateway
   * @throws RedisException if Redis answers an error, such as {@code WRONGTYPE}
   */
  public <T> T execute(Function<RedisClusterCommands<String, byte[]>, T> command) {
    return execute(command, false);
  }

  /**
   * Runs a read of cache entries as {@link #execute} does, on a replica when the runtime reads
   * cache entries from replicas (see Design, "Connection options"), else on the master. Only for
   * read-only commands whose answer may be as stale as the replication lag.
   *
   * @param command read-only commands, not {@code null}
   * @param <T> the result type
   * @return what {@code command} returns
   * @throws RedisUnavailableException as {@link #execute}
   * @throws RedisException if Redis answers an error
   */
  public <T> T executeCacheRead(Function<RedisClusterCommands<String, byte[]>, T> command) {
    return execute(command, options.readCacheFromReplicas());
  }

  private <T> T execute(
      Function<RedisClusterCommands<String, byte[]>, T> command, boolean replicaRead) {
    if (closed) {
      throw closedException();
    }
    awaitFirstConnect();
    Long waitedOutAt = waitedOutOnThisThread.get();
    if (waitedOutAt != null) {
      long ago = System.nanoTime() - waitedOutAt;
      if (ago < commandTimeout.toNanos()) {
        throw outages.refusedAfterWait(TimeUnit.NANOSECONDS.toMillis(ago));
      }
      waitedOutOnThisThread.remove();
    }
    if (!breaker.tryAcquirePermission()) {
      throw outages.refused();
    }
    long start = System.nanoTime();
    T result;
    RedisClusterCommands<String, byte[]> c = null;
    try {
      c = commands();
      RedisClusterCommands<String, byte[]> replica = replicaRead ? replicaReads : null;
      result = command.apply(replica != null ? replica : c);
    } catch (RuntimeException e) {
      long took = System.nanoTime() - start;
      FailureKind kind = noted(e, c);
      if (kind != null && kind.outage()) {
        if (took >= commandTimeout.toNanos() / 2) {
          waitedOutOnThisThread.set(System.nanoTime());
        }
        breaker.onError(took, TimeUnit.NANOSECONDS, e);
        throw unavailable(e, kind);
      }
      // an error reply counts as a success (Redis answered), anything else is ignored
      breaker.onError(took, TimeUnit.NANOSECONDS, e);
      throw e;
    } catch (Error e) {
      breaker.releasePermission();
      throw e;
    }
    breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return result;
  }

  /**
   * Classifies, counts and logs a failure of a call, and drops the connection that answered
   * {@code READONLY}.
   *
   * @param failure what the call threw
   * @param answeredOn the command interface the call used, {@code null} if it never got one
   * @return its kind, or {@code null} for what is not about Redis (see {@link #isNotAboutRedis})
   */
  private FailureKind noted(Throwable failure, Object answeredOn) {
    if (isNotAboutRedis(failure)) {
      return null;
    }
    FailureKind kind = RedisFailure.classify(failure);
    metrics.failed(kind);
    if (kind.outage()) {
      outages.failed(kind, failure);
      if (kind == FailureKind.READONLY) {
        reresolve(answeredOn);
      }
    }
    return kind;
  }

  /**
   * Notes the reconnects that Lettuce makes in the background and that fail for a reason with a
   * fix, such as a password rotated on the server ({@code NOAUTH}): callers only see "not
   * connected", so without this the log would never name the cause.
   */
  private void watchReconnects() {
    connections.onReconnectFailure(url, failure -> {
          Throwable cause = cause(failure);
          if (cause == null || isNotAboutRedis(cause)) {
            return;
          }
          FailureKind kind = RedisFailure.classify(cause);
          if (kind.outage() && RedisFailure.fix(kind, cause, describe()) != null) {
            metrics.failed(kind);
            outages.failed(kind, cause);
          }
        });
  }

  private RedisUnavailableException unavailable(Throwable failure, FailureKind kind) {
    return new RedisUnavailableException(
        "Redis at " + describe() + " failed: " + OutageLog.describe(failure), failure, kind);
  }

  /**
   * Drops the connection that answered {@code READONLY}, so that the next call opens a new one;
   * at most once per breaker wait, and never blocks: a caller that finds the connect lock
   * taken leaves the job to the next {@code READONLY}.
   */
  private void reresolve(Object answeredOn) {
    long last = lastReresolveNanos.get();
    long now = System.nanoTime();
    if (answeredOn == null
        || now - last < openWait.toNanos()
        || !lastReresolveNanos.compareAndSet(last, now)
        || !connectLock.tryLock()) {
      return;
    }
    try {
      if (commands != answeredOn && asyncCommands != answeredOn) {
        return;
      }
      StatefulConnection<String, byte[]> stale = connection;
      commands = null;
      asyncCommands = null;
      connection = null;
      if (stale != null) {
        stale.closeAsync();
      }
      log.debug("Redis at {} answered READONLY; the connection is reopened at the next call",
          describe());
    } finally {
      connectLock.unlock();
    }
  }

  /**
   * Whether {@code failure} means Redis cannot serve the call, so that the caller's failure
   * policy applies: an outage-like {@link FailureKind}. Defects (a wrong type, a failing script)
   * are not outages, and neither is what is not about Redis.
   *
   * @param failure what a command threw, not {@code null}
   * @return whether it is thrown as {@link RedisUnavailableException}
   */
  static boolean isOutage(Throwable failure) {
    return !isNotAboutRedis(failure) && RedisFailure.classify(failure).outage();
  }

  /** @return whether {@code failure} counts as a failure of the breaker (see Design) */
  static boolean countsAgainstBreaker(Throwable failure) {
    return !isNotAboutRedis(failure) && RedisFailure.classify(failure).countsAgainstBreaker();
  }

  /** @return whether the breaker ignores {@code failure}: neither a failure nor a success */
  static boolean ignoredByBreaker(Throwable failure) {
    if (isNotAboutRedis(failure)) {
      return true;
    }
    FailureKind kind = RedisFailure.classify(failure);
    return kind.outage() && !kind.countsAgainstBreaker();
  }

  private static boolean isNotAboutRedis(Throwable failure) {
    return !(failure instanceof RedisException)
        || failure instanceof RedisUnavailableException
        || failure instanceof RedisCommandInterruptedException;
  }

  /**
   * @return the synchronous command interface; when there is no connection, waits up to the
   *     command timeout for a connect on the gateway's thread (started if none is under way)
   * @throws RedisConnectionException if the server cannot be reached
   */
  private RedisClusterCommands<String, byte[]> commands() {
    RedisClusterCommands<String, byte[]> c = commands;
    if (c != null) {
      return c;
    }
    try {
      attempt().get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisCommandInterruptedException(e);
    } catch (ExecutionException e) {
      throw connectFailure(cause(e));
    } catch (TimeoutException e) {
      throw connectFailure(e);
    }
    c = commands;
    if (c == null) {
      throw closed ? closedException() : new RedisConnectionException(
          "the connection to " + describe() + " was closed");
    }
    return c;
  }

  /**
   * Opens the connection, on the gateway's thread; the client is created once and kept for
   * retries.
   */
  private void open() {
    connectLock.lock();
    try {
      if (commands != null) {
        return;
      }
      if (closed) {
        throw closedException();
      }
      try {
        if (client == null) {
          client =
              connections.client(url, commandTimeout, connectTimeout, requestQueueSize, options);
          watchReconnects();
        }
        StatefulConnection<String, byte[]> c = client.connect();
        connection = c;
        if (options.readCacheFromReplicas()) {
          // before the commands are published, so that no cache read goes to the master first
          openReplicaReads();
        }
        asyncCommands = RedisConnections.async(c);
        commands = RedisConnections.sync(c);
      } catch (RuntimeException e) {
        closeConnectionQuietly();
        throw e;
      }
      log.info("Weft connected to Redis at {}", describe());
    } finally {
      connectLock.unlock();
    }
  }

  private void openReplicaReads() {
    try {
      StatefulConnection<String, byte[]> c = client.replicaReads();
      replicaConnection = c;
      replicaReads = RedisConnections.sync(c);
    } catch (RuntimeException e) {
      log.warn(
          "Weft could not open a connection to the replicas of {} ({}); cache reads stay on the"
              + " master",
          describe(), OutageLog.describe(e));
    }
  }

  private RedisUnavailableException closedException() {
    return new RedisUnavailableException(
        "the Weft runtime for " + describe() + " is closed", null);
  }

  private void closeConnectionQuietly() {
    commands = null;
    asyncCommands = null;
    replicaReads = null;
    try {
      if (replicaConnection != null) {
        replicaConnection.close();
      }
    } catch (RuntimeException e) {
      log.debug("error while closing the Redis replica connection", e);
    } finally {
      replicaConnection = null;
    }
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (RuntimeException e) {
      log.debug("error while closing the Redis connection", e);
    } finally {
      connection = null;
    }
  }

  /** @return this gateway's server and command timeout, for connections of other components */
  public RedisEndpoint endpoint() {
    return new RedisEndpoint(url, commandTimeout);
  }

  /**
   * @return the runtime's Micrometer {@code MeterRegistry}, or {@code null} for Micrometer's global
   *     registry: where the meters of everything built on this gateway go
   */
  public Object meterRegistry() {
    return meterRegistry;
  }

  /** @return the factory this gateway's connection comes from, for other components' connections */
  public RedisConnections connections() {
    return connections;
  }

  /**
   * Closes the connection (and, for a gateway with connections of its own, their threads). Later calls fail with {@link
   * RedisUnavailableException}, so that callers fail open; so do the futures of {@link
   * #runAsync} calls still waiting for the first connect.
   */
  @Override
  public void close() {
    closed = true;
    metrics.close();
    connector.shutdownNow();
    CompletableFuture<Void> pending = connecting.getAndSet(null);
    if (pending != null) {
      pending.completeExceptionally(closedException());
    }
    connectLock.lock();
    try {
      closeConnectionQuietly();
      if (client != null) {
        client.close();
      }
      if (ownsConnections) {
        connections.close();
      }
    } catch (RuntimeException e) {
      log.debug("error while closing the Redis client", e);
    } finally {
      client = null;
      connectLock.unlock();
    }
  }
}
