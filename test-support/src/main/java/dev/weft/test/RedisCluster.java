package dev.weft.test;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.List;

/**
 * A running Redis Cluster of three masters on loopback ports, without replicas, obtained from
 * {@link RedisLauncher#startCluster()} or injected by {@link WeftRedisCluster @WeftRedisCluster}.
 *
 * <p>The 16384 hash slots are split evenly: the first node serves slots 0 to 5460, the second 5461
 * to 10921, the third 10922 to 16383. When the cluster is handed out, every node reports {@code
 * cluster_state:ok} and knows the other two, and a Lettuce cluster client has written and read a
 * key on each node. The nodes always run a local {@code redis-server} (from {@code
 * weft.redis.server} / {@code WEFT_REDIS_SERVER}, the {@code PATH}, or the embedded-redis jar),
 * never a container. Implementations are thread-safe.
 */
public interface RedisCluster extends AutoCloseable {

  /**
   * @return new Lettuce URIs of the three masters, in slot order, on each call; never {@code null}
   */
  List<RedisURI> nodes();

  /**
   * @return the cluster's URL in Weft's convention, listing every node as a seed, such as {@code
   *     redis-cluster://127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003}; never {@code null}
   */
  String url();

  /**
   * Creates a Lettuce cluster client seeded with all nodes; the caller owns it and must {@link
   * RedisClusterClient#shutdown() shut it down}.
   *
   * @return a new client, never {@code null}
   */
  RedisClusterClient newClient();

  /**
   * Deletes every key on every node ({@code FLUSHALL} on each master).
   *
   * @throws IllegalStateException if a node does not answer
   */
  void flushAll();

  /** Stops every node and deletes the cluster's temporary files; idempotent. */
  @Override
  void close();
}
