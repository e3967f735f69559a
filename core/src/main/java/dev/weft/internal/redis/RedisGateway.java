package dev.weft.internal.redis;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * <p>The connection is opened at the first command, not at construction, so that building a
 * runtime (or loading a woven class) never blocks on the network. Callers that arrive while
 * another one connects wait at most the command timeout, and fail at once if that attempt fails,
 * so a dead server costs each caller one timeout at most, never one per queued caller.
 *
 * <p><b>Bounded waits.</b> The command timeout ({@link RedisTimeouts}, else {@code
 * Weft.DEFAULT_COMMAND_TIMEOUT}) bounds each command, the TCP connect and the connection
 * handshake. The default of 1 s is far above a healthy Redis's latency but above its routine
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
 * again. The first connect goes through the breaker too, which replaces the fixed connect
 * back-off this class used to have: a server that is down at start-up is tried once per
 * {@link #OPEN_WAIT} after the first few failures. Transitions are logged by {@link OutageLog}:
 * one WARN per outage (plus a reminder per minute), one INFO at its end, never a line per call.
 *
 * <p><b>Nothing piles up, nothing runs twice.</b> Lettuce would by default queue commands while
 * disconnected and replay them after a reconnect. Weft rejects them instead ({@link
 * ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}): callers fail at once, and in Lettuce 7 the
 * same option makes commands in flight when the connection drops fail ("Connection disconnected")
 * rather than wait for replay, so nothing is sent twice. Lettuce still reconnects by itself in the
 * background; its delay is capped at {@link #RECONNECT_DELAY_MAX} with full jitter (Brooker,
 * "Exponential Backoff And Jitter", AWS Architecture Blog, 2015) rather than Lettuce's 30 s, so
 * that Weft finds a restarted server within a few seconds and a fleet of clients does not
 * reconnect in lockstep. A server that is connected but slow fills Lettuce's in-flight stack
 * instead (timed-out commands stay in it until their reply arrives); {@link
 * ClientOptions#getRequestQueueSize()} caps it at {@value #REQUEST_QUEUE_SIZE} commands, above
 * which commands are rejected at once, which also counts against the breaker.
 *
 * <p>Scripts are run by EVALSHA; the one NOSCRIPT fallback (after a server restart or a failover
 * the script cache is empty) is in {@link #run} and, for {@link #runAsync}, in its asynchronous
 * twin: EVAL sends the body, which also loads it.
 *
 * <p><b>Fire and forget.</b> {@link #runAsync} is for callers that must not wait for Redis at all
 * ({@code @Counted}'s increments): the command goes through the same breaker, timeout and outage
 * log, but is written to the connection and the caller's thread returns at once; the reply, or
 * the failure, completes a future on Lettuce's I/O thread. The connection is the same one, so
 * nothing is added per call but the future. Until the first connection is open (which blocks, up
 * to the command timeout), such commands wait for a connect that runs on a thread of the gateway
 * ({@code weft-redis-connect}, one at most, started only then and gone when idle), never on the
 * caller's; while the breaker is open they fail at once, unsent. Lettuce's bounded request queue
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

  /** The longest pause between two of Lettuce's reconnect attempts. */
  static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(2);

  /**
   * The most commands that may wait for their reply (or to be written) on the connection. Far
   * above what synchronous callers have in flight; reached only when a slow server lets
   * timed-out commands accumulate.
   */
  static final int REQUEST_QUEUE_SIZE = 2048;

  private static final Logger log = LoggerFactory.getLogger(RedisGateway.class);
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /** What the breaker reports, for health views. */
  public enum State {
    /** Calls go to Redis: it answered lately, or it has not been tried yet. */
    CLOSED,
    /** Calls fail at once without going to Redis, until the wait is over. */
    OPEN,
    /** A probe call is finding out whether Redis answers again; other calls fail at once. */
    HALF_OPEN
  }

  private final String url;
  private final Duration commandTimeout;
  private final int requestQueueSize;
  private final CircuitBreaker breaker;
  private final OutageLog outages;
  private final RedisMetrics metrics;
  /** When a READONLY reply last dropped the connection; see Design. */
  private final AtomicLong lastReresolveNanos = new AtomicLong(System.nanoTime() - OPEN_WAIT.toNanos());
  private final ReentrantLock connectLock = new ReentrantLock();
  /** When a call of this thread last waited (most of) a timeout for an outage; see Design. */
  private final ThreadLocal<Long> waitedOutOnThisThread = new ThreadLocal<>();

  private volatile RedisClusterCommands<String, byte[]> commands;
  private volatile RedisClusterAsyncCommands<String, byte[]> asyncCommands;
  /** The connect that asynchronous callers wait for, while there is one; see Design. */
  private final AtomicReference<CompletableFuture<Void>> connecting = new AtomicReference<>();
  private final ThreadPoolExecutor connector;
  private volatile boolean closed;
  private volatile int failedConnects;
  private volatile RuntimeException lastConnectFailure;
  private ClientResources resources;
  private AbstractRedisClient client;
  private StatefulConnection<String, byte[]> connection;

  /**
   * @param url a Redis URL (see {@link RedisUrls}), not {@code null}
   * @param commandTimeout how long one command, a connect or a handshake may take before it
   *     fails, positive
   */
  public RedisGateway(String url, Duration commandTimeout) {
    this(url, commandTimeout, REQUEST_QUEUE_SIZE);
  }

  /** As {@link #RedisGateway(String, Duration)}, with another bound on in-flight commands. */
  RedisGateway(String url, Duration commandTimeout, int requestQueueSize) {
    this.url = url;
    this.commandTimeout = commandTimeout;
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
                .recordException(RedisGateway::countsAgainstBreaker)
                .ignoreException(RedisGateway::ignoredByBreaker)
                .build());
    breaker.getEventPublisher()
        .onStateTransition(event -> outages.transitioned(event.getStateTransition()));
    this.metrics = RedisMetrics.create(describe(), this::state);
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
    return connectInBackground()
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
   * @return a future that completes when the connection is open, from a connect on the gateway's
   *     own thread (one at a time; callers share it), or at once exceptionally while the breaker
   *     is open
   */
  private CompletableFuture<Void> connectInBackground() {
    while (true) {
      CompletableFuture<Void> pending = connecting.get();
      if (pending != null) {
        return pending;
      }
      if (state() == State.OPEN) {
        return CompletableFuture.failedFuture(outages.refused());
      }
      CompletableFuture<Void> mine = new CompletableFuture<>();
      if (!connecting.compareAndSet(null, mine)) {
        continue;
      }
      try {
        connector.execute(
            () -> {
              Throwable failure = null;
              try {
                // through the breaker and the outage log, as every first connect
                execute(c -> Boolean.TRUE);
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
      result = command.apply(c);
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
  private void watchReconnects(ClientResources resources) {
    resources.eventBus().get()
        .filter(event -> event instanceof ReconnectFailedEvent)
        .subscribe(event -> {
          Throwable cause = cause(((ReconnectFailedEvent) event).getCause());
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
   * at most once per {@link #OPEN_WAIT}, and never blocks: a caller that finds the connect lock
   * taken leaves the job to the next {@code READONLY}.
   */
  private void reresolve(Object answeredOn) {
    long last = lastReresolveNanos.get();
    long now = System.nanoTime();
    if (answeredOn == null
        || now - last < OPEN_WAIT.toNanos()
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
   * @return the synchronous command interface, opening the connection on first use
   * @throws RedisConnectionException if the server cannot be reached
   */
  private RedisClusterCommands<String, byte[]> commands() {
    RedisClusterCommands<String, byte[]> c = commands;
    return c != null ? c : connect();
  }

  private RedisClusterCommands<String, byte[]> connect() {
    int failuresSeen = failedConnects;
    boolean locked;
    try {
      locked = connectLock.tryLock(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisCommandInterruptedException(e);
    }
    if (!locked) {
      throw new RedisConnectionException(
          "gave up after " + commandTimeout.toMillis() + " ms waiting for another caller to"
              + " connect to " + describe());
    }
    try {
      if (commands != null) {
        return commands;
      }
      if (closed) {
        throw closedException();
      }
      if (failedConnects != failuresSeen) {
        throw new RedisConnectionException(
            "connecting to " + describe() + " failed moments ago", lastConnectFailure);
      }
      try {
        open();
      } catch (RuntimeException e) {
        lastConnectFailure = e;
        failedConnects++;
        closeConnectionQuietly();
        throw e;
      }
      log.info("Weft connected to Redis at {}", describe());
      return commands;
    } finally {
      connectLock.unlock();
    }
  }

  /** Opens the connection; the client and its threads are created once and kept for retries. */
  private void open() {
    if (client == null) {
      resources =
          ClientResources.builder()
              .reconnectDelay(
                  Delay.fullJitter(
                      Duration.ofMillis(10), RECONNECT_DELAY_MAX, 100, TimeUnit.MILLISECONDS))
              .build();
      watchReconnects(resources);
      client = RedisUrls.isCluster(url) ? clusterClient() : standaloneClient();
    }
    if (client instanceof RedisClusterClient cluster) {
      StatefulRedisClusterConnection<String, byte[]> c = cluster.connect(CODEC);
      connection = c;
      // Node connections are otherwise opened on first use, and a command routed to a node whose
      // connection is still opening would be rejected (see REJECT_COMMANDS above).
      for (RedisClusterNode node : c.getPartitions()) {
        c.getConnection(node.getUri().getHost(), node.getUri().getPort());
      }
      asyncCommands = c.async();
      commands = c.sync();
    } else {
      StatefulRedisConnection<String, byte[]> c = ((RedisClient) client).connect(CODEC);
      connection = c;
      asyncCommands = c.async();
      commands = c.sync();
    }
  }

  private RedisClusterClient clusterClient() {
    List<RedisURI> seeds = RedisUrls.clusterSeeds(url);
    seeds.forEach(uri -> uri.setTimeout(commandTimeout));
    RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
    cluster.setOptions(
        ClusterClientOptions.builder()
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .socketOptions(socketOptions())
            .requestQueueSize(requestQueueSize)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
    return cluster;
  }

  private RedisClient standaloneClient() {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(commandTimeout);
    RedisClient standalone = RedisClient.create(resources, uri);
    standalone.setOptions(
        ClientOptions.builder()
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .socketOptions(socketOptions())
            .requestQueueSize(requestQueueSize)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
    return standalone;
  }

  private SocketOptions socketOptions() {
    return SocketOptions.builder().connectTimeout(commandTimeout).build();
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

  /**
   * Closes the connection and the client's threads. Later calls fail with {@link
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
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      if (resources != null) {
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
      }
    } catch (RuntimeException e) {
      log.debug("error while closing the Redis client", e);
    } finally {
      client = null;
      resources = null;
      connectLock.unlock();
    }
  }
}
