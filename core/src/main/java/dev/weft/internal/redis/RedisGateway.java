package dev.weft.internal.redis;

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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * It!</i>, "Circuit Breaker"). It counts outages, that is connection failures, timeouts, rejected
 * commands and the replies that say the server cannot serve now ({@code LOADING}, {@code BUSY},
 * {@code MASTERDOWN}, {@code CLUSTERDOWN}); see {@link #isOutage}. Other error replies ({@code
 * WRONGTYPE}, a failing script) prove the server alive and count as successes. Once the last
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
 * <p>On a cluster one breaker guards the whole cluster: it opens when half the calls fail (the
 * cluster or the network is down), usually not when one master of several is (then only the
 * share of calls for its slots fails, and those fail at once as long as that node's connection
 * is down).
 */
public final class RedisGateway implements AutoCloseable {

  /** How long the breaker stays open before one call may try Redis again. */
  static final Duration OPEN_WAIT = Duration.ofSeconds(1);

  /** How many consecutive outages open the breaker. */
  static final int WINDOW = 5;

  /**
   * Error-reply codes that mean "alive but cannot serve now": for a cache the same as
   * unreachable.
   */
  private static final Set<String> UNAVAILABLE_REPLIES =
      Set.of("LOADING", "BUSY", "MASTERDOWN", "CLUSTERDOWN");

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
  private final CircuitBreaker breaker;
  private final OutageLog outages;
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
  private final ThreadPoolExecutor connector;
  private volatile boolean closed;
  private RedisConnections.Client client;
  private StatefulConnection<String, byte[]> connection;

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
    this(connections, false, url, commandTimeout, connectTimeout,
        RedisConnections.REQUEST_QUEUE_SIZE);
  }

  /** As {@link #RedisGateway(String, Duration)}, with another bound on in-flight commands. */
  RedisGateway(String url, Duration commandTimeout, int requestQueueSize) {
    this(new RedisConnections(), true, url, commandTimeout, commandTimeout, requestQueueSize);
  }

  private RedisGateway(
      RedisConnections connections, boolean ownsConnections, String url, Duration commandTimeout,
      Duration connectTimeout, int requestQueueSize) {
    this.connections = connections;
    this.ownsConnections = ownsConnections;
    this.url = url;
    this.commandTimeout = commandTimeout;
    this.connectTimeout = connectTimeout;
    this.requestQueueSize = requestQueueSize;
    this.outages = new OutageLog(describe(), OPEN_WAIT);
    this.breaker =
        CircuitBreaker.of(
            "weft-redis " + describe(),
            CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(WINDOW)
                .failureRateThreshold(100)
                .waitDurationInOpenState(OPEN_WAIT)
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(RedisGateway::isOutage)
                .ignoreException(RedisGateway::isNotAboutRedis)
                .build());
    breaker.getEventPublisher()
        .onStateTransition(event -> outages.transitioned(event.getStateTransition()));
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
   * Runs {@code script} with EVALSHA, falling back to EVAL when the server does not know it.
   *
   * @param script the script, not {@code null}
   * @param output how Redis's reply is mapped (see each script's header for what it returns)
   * @param keys the KEYS, all in one hash slot on a cluster
   * @param args the ARGV
   * @param <T> the reply type that {@code output} yields
   * @return the script's reply, may be {@code null} for a nil reply
   * @throws RedisUnavailableException if Redis is unreachable, slow, or was so moments ago
   * @throws RedisException if Redis answers an error
   */
  public <T> T run(LuaScript script, ScriptOutputType output, String[] keys, byte[]... args) {
    return execute(
        c -> {
          try {
            return c.evalsha(script.sha(), output, keys, args);
          } catch (RedisNoScriptException e) {
            return c.eval(script.body(), output, keys, args);
          }
        });
  }

  /**
   * Runs {@code script} as {@link #run} does, without waiting for its reply: the command is
   * written to the connection and this method returns (see Design, "Fire and forget"). Timeouts,
   * the circuit breaker and outage logging apply as to every other call.
   *
   * @param script the script, not {@code null}
   * @param output how Redis's reply is mapped (see each script's header for what it returns)
   * @param keys the KEYS, all in one hash slot on a cluster
   * @param args the ARGV
   * @param <T> the reply type that {@code output} yields
   * @return a future of the script's reply (may complete with {@code null} for a nil reply); it
   *     completes on Lettuce's I/O thread, so what depends on it must not block. It completes
   *     exceptionally with {@link RedisUnavailableException} if Redis is unreachable, slow, or was
   *     so moments ago (the breaker is open), or this gateway is closed, and with {@link
   *     RedisException} if Redis answers an error. Never {@code null}; this method never throws
   */
  public <T> CompletableFuture<T> runAsync(
      LuaScript script, ScriptOutputType output, String[] keys, byte[]... args) {
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
          if (isOutage(cause)) {
            outages.failed(cause);
            breaker.onError(took, TimeUnit.NANOSECONDS, cause);
            result.completeExceptionally(
                new RedisUnavailableException(
                    "Redis at " + describe() + " failed: " + OutageLog.describe(cause), cause));
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
        "could not connect to " + describe() + ": " + failure.getMessage(), failure);
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
    try {
      result = command.apply(commands());
    } catch (RuntimeException e) {
      long took = System.nanoTime() - start;
      if (isOutage(e)) {
        if (took >= commandTimeout.toNanos() / 2) {
          waitedOutOnThisThread.set(System.nanoTime());
        }
        outages.failed(e);
        breaker.onError(took, TimeUnit.NANOSECONDS, e);
        throw new RedisUnavailableException(
            "Redis at " + describe() + " failed: " + OutageLog.describe(e), e);
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
   * Whether {@code failure} means Redis cannot serve: the connection failed or is gone, a command
   * timed out or was rejected, or the server answered that it cannot serve right now. Error
   * replies of a working server are not outages.
   *
   * @param failure what a command threw, not {@code null}
   * @return whether it counts against the circuit breaker
   */
  static boolean isOutage(Throwable failure) {
    if (!(failure instanceof RedisException)
        || failure instanceof RedisUnavailableException
        || failure instanceof RedisCommandInterruptedException) {
      return false;
    }
    if (failure instanceof RedisCommandExecutionException) {
      String message = failure.getMessage();
      if (message == null) {
        return false;
      }
      int space = message.indexOf(' ');
      return UNAVAILABLE_REPLIES.contains(space < 0 ? message : message.substring(0, space));
    }
    // RedisConnectionException, RedisCommandTimeoutException, and the plain RedisExceptions of a
    // lost connection ("Currently not connected", "Connection disconnected", queue full)
    return true;
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
          client = connections.client(url, commandTimeout, connectTimeout, requestQueueSize);
        }
        StatefulConnection<String, byte[]> c = client.connect();
        connection = c;
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

  private RedisUnavailableException closedException() {
    return new RedisUnavailableException(
        "the Weft runtime for " + describe() + " is closed", null);
  }

  private void closeConnectionQuietly() {
    commands = null;
    asyncCommands = null;
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
