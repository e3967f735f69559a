package dev.weft.internal.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Redis connection a runtime opens comes from here: the command connection of each {@link
 * RedisGateway} (the runtime's and each Redlock master's), the change feed's and listener
 * subscriptions' pub/sub connections, and the dedicated connections of blocking stream reads.
 *
 * <h2>Design</h2>
 *
 * <b>One set of threads.</b> A Lettuce {@link ClientResources} owns the Netty event loops (I/O),
 * a small executor for events, reconnects and timeouts, and a timer. Created per client, as each
 * component of Weft once did, that is a set of threads per component, each sized by Lettuce for
 * an application that owns the machine (one I/O thread per core). Here one instance serves every
 * client of the runtime, sized for a library: {@value #IO_THREADS} I/O threads (a Netty channel is
 * served by one event loop all its life, so more threads only help with more busy connections)
 * and {@value #COMPUTATION_THREADS} computation threads. It is created at the first client, so
 * that a runtime that never connects starts no thread.
 *
 * <p><b>Reconnects.</b> Lettuce reconnects dropped connections by itself; its delay here is capped
 * at {@link #RECONNECT_DELAY_MAX} with full jitter (Brooker, "Exponential Backoff And Jitter",
 * AWS Architecture Blog, 2015) rather than Lettuce's 30 s, so that a restarted server is found
 * within a few seconds and a fleet of clients does not reconnect in lockstep.
 *
 * <p><b>One client per connection purpose.</b> A Lettuce client holds no thread of its own when
 * its resources are shared: it is a URL, options and connection-state listeners. So each {@link
 * Client} serves one purpose (a gateway, a subscription, a container's blocking reads) and its
 * listeners hear about that purpose's connections only. The client options every connection gets
 * are built in {@link #options}: TCP keepalive ({@link Heartbeat#socketOptions}), the command
 * timeout, the connect timeout (which bounds the
 * handshake too: the URI's timeout is the connect timeout, each connection's the command timeout),
 * commands rejected
 * rather than queued while disconnected ({@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS},
 * see {@link RedisGateway}), and a bound on commands in flight. Server addresses are read by
 * {@link RedisUrls}, standalone or cluster alike.
 *
 * <p><b>TLS, credentials, replicas.</b> Every client gets the runtime's {@link
 * ConnectionOptions}: its URIs are made by {@link RedisUrls#uri} (full certificate verification,
 * the credentials provider, asked at every connect) and its options carry the TLS material
 * ({@link ConnectionOptions#applyTo}). A client may be given other options (a Redlock master keeps
 * the TLS material but has its own credentials). {@link Client#replicaReads()} opens the
 * connection for reads that may go to a replica: Lettuce's {@link MasterReplica} for standalone
 * and Sentinel URLs (which finds the replicas through the master's {@code INFO replication} or
 * the sentinels), a cluster connection reading from replicas for clusters.
 *
 * <p><b>Closing</b> goes from the leaves to the root: connections, then clients, then the
 * resources. A component closes its own client (which closes its connections); {@link #close()}
 * closes the clients still open, then shuts the resources down. A connection used after that fails
 * as a lost connection does.
 */
public final class RedisConnections implements AutoCloseable {

  /** The codec of command and dedicated connections: UTF-8 keys, raw byte values. */
  public static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /** The longest pause between two of Lettuce's reconnect attempts. */
  public static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(2);

  /**
   * The most commands that may wait for their reply (or to be written) on one connection, unless
   * a client asks for another bound. Far above what synchronous callers have in flight; reached
   * only when a slow server lets timed-out commands accumulate.
   */
  public static final int REQUEST_QUEUE_SIZE = 2048;

  static final int IO_THREADS = 2;
  static final int COMPUTATION_THREADS = 2;

  private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final ConnectionOptions options;
  private ClientResources resources;
  private boolean closed;

  /** Creates the factory; it starts no thread until its first client connects. */
  public RedisConnections() {
    this(ConnectionOptions.none());
  }

  /**
   * Creates the factory; it starts no thread until its first client connects.
   *
   * @param options the runtime's TLS material, credentials provider and read routing, for every
   *     client unless it is given others; not {@code null}
   */
  public RedisConnections(ConnectionOptions options) {
    this.options = options;
  }

  /** @return the options every client gets unless it is given others */
  public ConnectionOptions options() {
    return options;
  }

  /**
   * A client for one purpose, with the default bound on in-flight commands.
   *
   * @param url a Redis URL (see {@link RedisUrls}), not {@code null}
   * @param commandTimeout how long one command may take, positive
   * @param connectTimeout how long opening a connection may take: the TCP connect, and the
   *     handshake ({@code HELLO}, {@code AUTH}, {@code PING}), each; positive
   * @return the client; close it when its purpose ends
   * @throws RedisUnavailableException if this factory is closed
   */
  public Client client(String url, Duration commandTimeout, Duration connectTimeout) {
    return client(url, commandTimeout, connectTimeout, REQUEST_QUEUE_SIZE);
  }

  /**
   * As {@link #client(String, Duration, Duration)}, with another bound on in-flight commands.
   *
   * @param requestQueueSize the most commands in flight per connection, positive
   * @return the client; close it when its purpose ends
   */
  public Client client(
      String url, Duration commandTimeout, Duration connectTimeout, int requestQueueSize) {
    return client(url, commandTimeout, connectTimeout, requestQueueSize, options);
  }

  /**
   * As {@link #client(String, Duration, Duration, int)}, with other connection options than the
   * factory's.
   *
   * @param options TLS material, credentials provider and read routing, not {@code null}
   * @return the client; close it when its purpose ends
   */
  public Client client(
      String url, Duration commandTimeout, Duration connectTimeout, int requestQueueSize,
      ConnectionOptions options) {
    AbstractRedisClient lettuce;
    synchronized (this) {
      if (closed) {
        throw new RedisUnavailableException(
            "the Weft runtime for " + RedisUrls.redact(url) + " is closed", null);
      }
      ClientResources shared = resources();
      if (RedisUrls.isCluster(url)) {
        List<RedisURI> seeds = RedisUrls.clusterSeeds(url, connectTimeout, options);
        RedisClusterClient cluster = RedisClusterClient.create(shared, seeds);
        cluster.setOptions(
            (ClusterClientOptions)
                options(true, commandTimeout, connectTimeout, requestQueueSize, options));
        lettuce = cluster;
      } else {
        RedisURI uri = RedisUrls.uri(url, connectTimeout, options);
        RedisClient standalone = RedisClient.create(shared, uri);
        standalone.setOptions(
            options(false, commandTimeout, connectTimeout, requestQueueSize, options));
        lettuce = standalone;
      }
    }
    Client client = new Client(url, lettuce, commandTimeout, connectTimeout, options);
    clients.add(client);
    return client;
  }

  /**
   * The options of every client: timeouts, disconnected behaviour, the in-flight bound, TLS
   * material.
   *
   * @param cluster whether the client is a cluster client (which needs {@link
   *     ClusterClientOptions})
   */
  static ClientOptions options(
      boolean cluster, Duration commandTimeout, Duration connectTimeout, int requestQueueSize,
      ConnectionOptions connection) {
    ClientOptions.Builder builder = cluster ? ClusterClientOptions.builder() : ClientOptions.builder();
    return connection.applyTo(builder)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .socketOptions(Heartbeat.socketOptions(connectTimeout))
        .requestQueueSize(requestQueueSize)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .build();
  }

  /**
   * Calls {@code listener} with the cause of every reconnect that Lettuce makes in the background
   * for a connection to one of {@code url}'s servers and that fails. The event bus is shared by
   * every client of the factory, so a standalone URL's events are told apart by the server's
   * port; for a cluster or Sentinel URL every failed reconnect counts.
   *
   * @param url the URL whose servers are of interest, not {@code null}
   * @param listener called on Lettuce's event thread; must not block
   */
  public void onReconnectFailure(String url, Consumer<Throwable> listener) {
    // a cluster's nodes are more than its seeds, and a Sentinel URL names no data node at all
    boolean anyServer = RedisUrls.isCluster(url) || RedisUrls.isSentinel(url);
    int port = anyServer ? -1 : RedisUrls.standalone(url).getPort();
    ClientResources shared;
    synchronized (this) {
      if (closed) {
        return;
      }
      shared = resources();
    }
    shared.eventBus().get()
        .filter(event -> event instanceof ReconnectFailedEvent)
        .map(event -> (ReconnectFailedEvent) event)
        .filter(event -> anyServer || port(event.remoteAddress()) == port)
        .subscribe(event -> listener.accept(event.getCause()));
  }

  private static int port(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet.getPort() : -2;
  }

  private ClientResources resources() {
    if (resources == null) {
      resources =
          ClientResources.builder()
              .ioThreadPoolSize(IO_THREADS)
              .computationThreadPoolSize(COMPUTATION_THREADS)
              .reconnectDelay(
                  Delay.fullJitter(
                      Duration.ofMillis(10), RECONNECT_DELAY_MAX, 100, TimeUnit.MILLISECONDS))
              .build();
    }
    return resources;
  }

  /**
   * Closes every client still open (and its connections), then stops the shared threads.
   * Idempotent; clients asked for afterwards are refused.
   */
  @Override
  public void close() {
    ClientResources toShut;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toShut = resources;
      resources = null;
    }
    for (Client client : new ArrayList<>(clients)) {
      client.close();
    }
    if (toShut != null) {
      try {
        toShut.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        log.debug("error while stopping the Redis client threads", e);
      }
    }
  }

  /**
   * A Lettuce client, standalone or cluster, for one purpose; thread-safe. Closing it closes the
   * connections it opened.
   */
  public final class Client implements AutoCloseable {
    private final String url;
    private final AbstractRedisClient lettuce;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final ConnectionOptions options;
    private volatile boolean clientClosed;

    private Client(
        String url, AbstractRedisClient lettuce, Duration commandTimeout, Duration connectTimeout,
        ConnectionOptions options) {
      this.url = url;
      this.lettuce = lettuce;
      this.commandTimeout = commandTimeout;
      this.connectTimeout = connectTimeout;
      this.options = options;
    }

    /** @return whether it is a cluster client */
    public boolean cluster() {
      return lettuce instanceof RedisClusterClient;
    }

    /**
     * @param listener told when this client's connections connect and disconnect, on Lettuce's
     *     threads
     */
    public void addListener(RedisConnectionStateListener listener) {
      lettuce.addListener(listener);
    }

    /**
     * Opens a command connection, blocking up to the connect timeout plus the handshake's command
     * timeout. On a cluster the connections to every known master are opened too: they would
     * otherwise open at their first command, which would be rejected while opening (see {@link
     * ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}).
     *
     * @return a standalone or cluster connection
     * @throws io.lettuce.core.RedisException if the server cannot be reached
     */
    public StatefulConnection<String, byte[]> connect() {
      refuseIfClosed();
      StatefulConnection<String, byte[]> c;
      if (lettuce instanceof RedisClusterClient cluster) {
        StatefulRedisClusterConnection<String, byte[]> clustered = cluster.connect(CODEC);
        c = clustered;
        try {
          for (RedisClusterNode node : clustered.getPartitions()) {
            clustered.getConnection(node.getUri().getHost(), node.getUri().getPort());
          }
        } catch (RuntimeException e) {
          clustered.close();
          throw e;
        }
      } else {
        c = ((RedisClient) lettuce).connect(CODEC);
      }
      c.setTimeout(commandTimeout);
      return track(c);
    }

    /**
     * Opens a connection for reads that may be served by a replica ({@link
     * ReadFrom#REPLICA_PREFERRED}): through {@link MasterReplica} for a standalone or Sentinel
     * URL, a cluster connection with that read preference for a cluster. Writes sent on it would
     * still go to the master; it is meant for reads only.
     *
     * @return a standalone (master/replica) or cluster connection
     * @throws io.lettuce.core.RedisException if the servers cannot be reached
     */
    public StatefulConnection<String, byte[]> replicaReads() {
      StatefulConnection<String, byte[]> c;
      if (lettuce instanceof RedisClusterClient cluster) {
        StatefulRedisClusterConnection<String, byte[]> clustered = cluster.connect(CODEC);
        clustered.setReadFrom(ReadFrom.REPLICA_PREFERRED);
        c = clustered;
      } else {
        StatefulRedisMasterReplicaConnection<String, byte[]> replicated =
            MasterReplica.connect(
                (RedisClient) lettuce, CODEC, RedisUrls.uri(url, connectTimeout, options));
        replicated.setReadFrom(ReadFrom.REPLICA_PREFERRED);
        c = replicated;
      }
      c.setTimeout(commandTimeout);
      return track(c);
    }

    /**
     * Opens a dedicated connection for blocking commands: like {@link #connect()}, never shared
     * with other callers.
     *
     * @return a standalone or cluster connection
     * @throws io.lettuce.core.RedisException if the server cannot be reached
     */
    public StatefulConnection<String, byte[]> dedicated() {
      return connect();
    }

    /**
     * Opens a pub/sub connection; on a cluster, Lettuce's cluster pub/sub connection.
     *
     * @param codec the messages' codec, not {@code null}
     * @param <V> the messages' type
     * @return the connection
     * @throws io.lettuce.core.RedisException if the server cannot be reached
     */
    public <V> StatefulRedisPubSubConnection<String, V> pubSub(RedisCodec<String, V> codec) {
      refuseIfClosed();
      StatefulRedisPubSubConnection<String, V> c =
          lettuce instanceof RedisClusterClient cluster
              ? cluster.connectPubSub(codec)
              : ((RedisClient) lettuce).connectPubSub(codec);
      c.setTimeout(commandTimeout);
      return track(c);
    }

    /** Lettuce's client closes what it opened; a connection opened while closing is closed. */
    private <C extends StatefulConnection<?, ?>> C track(C connection) {
      if (clientClosed) {
        connection.close();
        refuseIfClosed();
      }
      return connection;
    }

    /** A closed client's threads are gone: connecting would wait for nothing. */
    private void refuseIfClosed() {
      if (clientClosed) {
        throw new RedisUnavailableException(
            "the Weft runtime for " + RedisUrls.redact(url) + " is closed", null);
      }
    }

    /**
     * Closes the connections this client opened, then the client. Idempotent; the shared threads
     * stay for the runtime's other clients.
     */
    @Override
    public void close() {
      synchronized (this) {
        if (clientClosed) {
          return;
        }
        clientClosed = true;
      }
      try {
        // closes the client's open connections first
        lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        log.debug("error while closing the client of {}", RedisUrls.redact(url), Secrets.scrub(e));
      } finally {
        clients.remove(this);
      }
    }
  }

  /**
   * @param connection a connection from {@link Client#connect()} or {@link Client#dedicated()}
   * @return its synchronous commands, standalone or cluster
   */
  @SuppressWarnings("unchecked")
  public static RedisClusterCommands<String, byte[]> sync(StatefulConnection<String, byte[]> connection) {
    if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
      return ((StatefulRedisClusterConnection<String, byte[]>) cluster).sync();
    }
    return ((StatefulRedisConnection<String, byte[]>) connection).sync();
  }

  /**
   * @param connection a connection from {@link Client#connect()}
   * @return its asynchronous commands, standalone or cluster
   */
  @SuppressWarnings("unchecked")
  public static io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<String, byte[]> async(
      StatefulConnection<String, byte[]> connection) {
    if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
      return ((StatefulRedisClusterConnection<String, byte[]>) cluster).async();
    }
    return ((StatefulRedisConnection<String, byte[]>) connection).async();
  }
}
