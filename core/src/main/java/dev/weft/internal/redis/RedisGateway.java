package dev.weft.internal.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weft's one connection to Redis, standalone or cluster, and the only place that runs scripts.
 *
 * <h2>Design</h2>
 *
 * Lettuce connections are thread-safe and pipelined, so a single connection serves every caller;
 * a pool would only add hand-offs. Keys are UTF-8 strings and values raw bytes, because values are
 * JSON that Jackson writes straight to bytes.
 *
 * <p>The connection is opened at the first command, not at construction, so that building a
 * runtime (or loading a woven class) never blocks on the network. When opening fails, further
 * attempts are refused without touching the network for {@link #RECONNECT_BACKOFF}, so a dead
 * server does not make every caller pay a connect timeout.
 *
 * <p>While disconnected, Lettuce would by default queue commands and replay them after a
 * reconnect; Weft rejects them instead ({@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}),
 * so that callers fail fast and nothing piles up in memory or runs twice.
 *
 * <p>Scripts are run by EVALSHA; the one NOSCRIPT fallback (after a server restart or a failover
 * the script cache is empty) is in {@link #run}: EVAL sends the body, which also loads it.
 */
public final class RedisGateway implements AutoCloseable {

  /** How long a failed connect attempt makes later attempts fail fast. */
  static final Duration RECONNECT_BACKOFF = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(RedisGateway.class);
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final String url;
  private final Duration commandTimeout;
  private final Object connectLock = new Object();

  private volatile RedisClusterCommands<String, byte[]> commands;
  private AbstractRedisClient client;
  private StatefulConnection<String, byte[]> connection;
  private long refuseConnectUntilNanos;
  private boolean closed;

  /**
   * @param url a Redis URL (see {@link RedisUrls}), not {@code null}
   * @param commandTimeout how long one command may take before it fails, positive
   */
  public RedisGateway(String url, Duration commandTimeout) {
    this.url = url;
    this.commandTimeout = commandTimeout;
  }

  /** @return the URL with any password redacted, for messages */
  public String describe() {
    return RedisUrls.redact(url);
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
   * @throws io.lettuce.core.RedisException if Redis is unreachable, slow or answers an error
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
   * Runs one or more commands. Every Redis access of Weft goes through here (or {@link #run}), so
   * that timeouts and failure handling apply to all of them alike.
   *
   * @param command the commands to run on the synchronous interface, not {@code null}
   * @param <T> the result type
   * @return what {@code command} returns
   * @throws io.lettuce.core.RedisException if Redis is unreachable, slow or answers an error
   */
  public <T> T execute(Function<RedisClusterCommands<String, byte[]>, T> command) {
    return command.apply(commands());
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
    synchronized (connectLock) {
      if (commands != null) {
        return commands;
      }
      if (closed) {
        throw new IllegalStateException("the Weft runtime for " + describe() + " is closed");
      }
      long now = System.nanoTime();
      if (now - refuseConnectUntilNanos < 0) {
        throw new RedisConnectionException(
            "Redis at " + describe() + " was unreachable moments ago; not retrying yet");
      }
      try {
        open();
        log.info("Weft connected to Redis at {}", describe());
        return commands;
      } catch (RuntimeException e) {
        refuseConnectUntilNanos = now + RECONNECT_BACKOFF.toNanos();
        shutdownQuietly();
        throw e;
      }
    }
  }

  private void open() {
    TimeoutOptions timeouts = TimeoutOptions.enabled(commandTimeout);
    if (RedisUrls.isCluster(url)) {
      List<RedisURI> seeds = RedisUrls.clusterSeeds(url);
      seeds.forEach(this::applyTimeout);
      RedisClusterClient cluster = RedisClusterClient.create(seeds);
      client = cluster;
      cluster.setOptions(
          ClusterClientOptions.builder()
              .timeoutOptions(timeouts)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .build());
      StatefulRedisClusterConnection<String, byte[]> c = cluster.connect(CODEC);
      connection = c;
      // Node connections are otherwise opened on first use, and a command routed to a node whose
      // connection is still opening would be rejected (see REJECT_COMMANDS above).
      for (RedisClusterNode node : c.getPartitions()) {
        c.getConnection(node.getUri().getHost(), node.getUri().getPort());
      }
      commands = c.sync();
    } else {
      RedisURI uri = RedisURI.create(url);
      applyTimeout(uri);
      RedisClient standalone = RedisClient.create(uri);
      client = standalone;
      standalone.setOptions(
          ClientOptions.builder()
              .timeoutOptions(timeouts)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .build());
      StatefulRedisConnection<String, byte[]> c = standalone.connect(CODEC);
      connection = c;
      commands = c.sync();
    }
  }

  private void applyTimeout(RedisURI uri) {
    uri.setTimeout(commandTimeout);
  }

  private void shutdownQuietly() {
    commands = null;
    try {
      if (connection != null) {
        connection.close();
      }
      if (client != null) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    } catch (RuntimeException e) {
      log.debug("error while closing the Redis client", e);
    } finally {
      connection = null;
      client = null;
    }
  }

  /** Closes the connection and the client's threads. Later commands fail. */
  @Override
  public void close() {
    synchronized (connectLock) {
      closed = true;
      shutdownQuietly();
    }
  }
}
