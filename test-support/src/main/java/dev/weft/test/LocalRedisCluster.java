package dev.weft.test;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/*
 * How the cluster is formed, without redis-cli and on Redis 6.2 as well as 7:
 *
 *  1. start three redis-server processes with cluster-enabled yes, each with its own
 *     nodes-<port>.conf in the cluster's temporary directory and no persistence;
 *  2. assign each node its third of the 16384 slots with CLUSTER ADDSLOTS, in chunks
 *     (CLUSTER ADDSLOTSRANGE only exists from Redis 7.0);
 *  3. give each node a distinct config epoch (CLUSTER SET-CONFIG-EPOCH) while it still knows
 *     only itself, so the nodes need not resolve an epoch collision after they meet;
 *  4. CLUSTER MEET the nodes to each other;
 *  5. wait, with a bound, until every node reports cluster_state:ok with all slots served and
 *     lists all three masters as connected in CLUSTER NODES, and then until a Lettuce cluster
 *     client can SET and GET a key on every node.
 *
 * Step 5 is what makes the cluster safe to hand out: a node that still has a peer in handshake
 * hands Lettuce an incomplete topology, and the first test then fails with MOVED or "no
 * partition for slot" errors.
 */
/** Three local {@code redis-server} processes joined into one cluster. */
final class LocalRedisCluster implements RedisCluster {

  /** How many masters the cluster has. */
  static final int NODE_COUNT = 3;

  /** How many hash slots a Redis Cluster has. */
  static final int SLOT_COUNT = 16384;

  private static final int NODE_TIMEOUT_MILLIS = 3000;
  private static final int ADDSLOTS_CHUNK = 1000;
  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private final List<RedisProcess> nodes;
  private final Path directory;
  private final Reaper.Registration directoryReaping;
  private boolean closed;

  private LocalRedisCluster(
      List<RedisProcess> nodes, Path directory, Reaper.Registration directoryReaping) {
    this.nodes = List.copyOf(nodes);
    this.directory = directory;
    this.directoryReaping = directoryReaping;
  }

  /**
   * Starts and forms a cluster.
   *
   * @param binary the {@code redis-server} executable, not {@code null}
   * @return the formed cluster, never {@code null}
   * @throws IllegalStateException if a node does not start or the cluster does not form within 30
   *     s; every process started so far is stopped
   */
  static LocalRedisCluster launch(RedisBinary binary) {
    Path directory = TempDirs.create("weft-redis-cluster-");
    Reaper.Registration directoryReaping = Reaper.atExit(() -> TempDirs.deleteQuietly(directory));
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < NODE_COUNT; i++) {
        nodes.add(startNode(binary.path(), directory));
      }
      LocalRedisCluster cluster = new LocalRedisCluster(nodes, directory, directoryReaping);
      cluster.form();
      cluster.awaitConverged();
      cluster.awaitClientWorks();
      return cluster;
    } catch (RuntimeException e) {
      for (RedisProcess node : nodes) {
        try {
          node.kill();
        } catch (RuntimeException survivor) {
          e.addSuppressed(survivor);
        }
        releasePorts(node.port());
      }
      TempDirs.deleteQuietly(directory);
      directoryReaping.cancel();
      throw e;
    }
  }

  private static RedisProcess startNode(Path binary, Path directory) {
    for (int attempt = 1; ; attempt++) {
      int port = Ports.claimFreeWithBus();
      RedisProcess node =
          new RedisProcess(
              binary,
              directory,
              port,
              List.of(
                  "cluster-enabled yes",
                  "cluster-config-file nodes-" + port + ".conf",
                  "cluster-node-timeout " + NODE_TIMEOUT_MILLIS));
      try {
        node.start();
        return node;
      } catch (RedisStartException e) {
        releasePorts(port);
        if (!e.portInUse() || attempt == LocalRedisServer.PORT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * @param index a node's position, 0 to 2
   * @return the first slot the node serves
   */
  static int firstSlot(int index) {
    return index * SLOT_COUNT / NODE_COUNT;
  }

  /**
   * @param index a node's position, 0 to 2
   * @return the last slot the node serves
   */
  static int lastSlot(int index) {
    return (index + 1) * SLOT_COUNT / NODE_COUNT - 1;
  }

  private void form() {
    for (int i = 0; i < nodes.size(); i++) {
      int port = nodes.get(i).port();
      for (int from = firstSlot(i); from <= lastSlot(i); from += ADDSLOTS_CHUNK) {
        int to = Math.min(from + ADDSLOTS_CHUNK - 1, lastSlot(i));
        List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
        for (int slot = from; slot <= to; slot++) {
          command.add(Integer.toString(slot));
        }
        call(port, command.toArray(new String[0]));
      }
      call(port, "CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
    }
    for (int i = 0; i < nodes.size(); i++) {
      for (int j = i + 1; j < nodes.size(); j++) {
        call(
            nodes.get(i).port(),
            "CLUSTER",
            "MEET",
            Ports.LOOPBACK,
            Integer.toString(nodes.get(j).port()));
      }
    }
  }

  private void awaitConverged() {
    boolean converged =
        Poll.until(
            FORM_TIMEOUT, POLL_INTERVAL, () -> nodes.stream().allMatch(this::seesWholeCluster));
    if (!converged) {
      throw new IllegalStateException(
          "the Redis cluster on ports "
              + ports()
              + " did not converge within "
              + FORM_TIMEOUT.toSeconds()
              + " s; "
              + describeStates());
    }
  }

  private boolean seesWholeCluster(RedisProcess node) {
    try (Resp resp = Resp.open(Ports.LOOPBACK, node.port(), COMMAND_TIMEOUT)) {
      Object info = resp.call("CLUSTER", "INFO");
      if (!"ok".equals(RedisProcess.infoField(info, "cluster_state"))
          || !Integer.toString(SLOT_COUNT).equals(RedisProcess.infoField(info, "cluster_slots_ok"))
          || !Integer.toString(NODE_COUNT)
              .equals(RedisProcess.infoField(info, "cluster_known_nodes"))) {
        return false;
      }
      List<Integer> connectedMasters = new ArrayList<>();
      for (String line : String.valueOf(resp.call("CLUSTER", "NODES")).split("\n")) {
        connectedMaster(line).ifPresent(connectedMasters::add);
      }
      return connectedMasters.containsAll(ports()) && connectedMasters.size() == NODE_COUNT;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /*
   * A CLUSTER NODES line: <id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent>
   * <pong-recv> <config-epoch> <link-state> <slot ranges...>. Redis 7 may append ",hostname" to
   * the address; the port sits between ':' and '@' in both versions.
   */
  private static Optional<Integer> connectedMaster(String line) {
    String[] fields = line.trim().split(" ");
    if (fields.length < 8) {
      return Optional.empty();
    }
    String flags = fields[2];
    boolean healthy =
        flags.contains("master")
            && !flags.contains("fail")
            && !flags.contains("handshake")
            && !flags.contains("noaddr")
            && "connected".equals(fields[7]);
    if (!healthy) {
      return Optional.empty();
    }
    String address = fields[1];
    int colon = address.lastIndexOf(':', address.indexOf('@'));
    return Optional.of(Integer.parseInt(address.substring(colon + 1, address.indexOf('@'))));
  }

  private void awaitClientWorks() {
    RedisClusterClient client = newClient();
    RuntimeException[] last = new RuntimeException[1];
    try {
      boolean works =
          Poll.until(
              FORM_TIMEOUT,
              POLL_INTERVAL,
              () -> {
                try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                  RedisAdvancedClusterCommands<String, String> commands = connection.sync();
                  for (int i = 0; i < nodes.size(); i++) {
                    String key = keyOnNode(i);
                    commands.set(key, "ok");
                    if (!"ok".equals(commands.get(key)) || commands.del(key) != 1) {
                      return false;
                    }
                  }
                  return true;
                } catch (RuntimeException e) {
                  last[0] = e;
                  client.refreshPartitions();
                  return false;
                }
              });
      if (!works) {
        throw new IllegalStateException(
            "the Redis cluster on ports "
                + ports()
                + " formed, but a Lettuce cluster client could not SET/GET on every node within "
                + FORM_TIMEOUT.toSeconds()
                + " s",
            last[0]);
      }
    } finally {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /**
   * @param index a node's position, 0 to 2
   * @return a key whose hash slot the node serves
   */
  static String keyOnNode(int index) {
    for (int n = 0; n < SLOT_COUNT * 16; n++) {
      String key = "weft:probe:" + n;
      int slot = SlotHash.getSlot(key);
      if (slot >= firstSlot(index) && slot <= lastSlot(index)) {
        return key;
      }
    }
    throw new IllegalStateException("no probe key hashes to node " + index);
  }

  private String describeStates() {
    StringBuilder states = new StringBuilder();
    for (RedisProcess node : nodes) {
      states.append("\nnode ").append(node.port()).append(": ");
      try (Resp resp = Resp.open(Ports.LOOPBACK, node.port(), COMMAND_TIMEOUT)) {
        states.append(resp.call("CLUSTER", "INFO")).append(resp.call("CLUSTER", "NODES"));
      } catch (IOException | RuntimeException e) {
        states.append("does not answer (").append(e.getMessage()).append("), log ");
        states.append(node.logFile());
      }
    }
    return states.toString();
  }

  private List<Integer> ports() {
    return nodes.stream().map(RedisProcess::port).collect(Collectors.toList());
  }

  private static Object call(int port, String... command) {
    try {
      return Resp.callOnce(port, COMMAND_TIMEOUT, command);
    } catch (IOException e) {
      throw new IllegalStateException(
          String.join(" ", command.length > 3 ? List.of(command).subList(0, 3) : List.of(command))
              + " failed on cluster node 127.0.0.1:"
              + port
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static void releasePorts(int port) {
    Ports.release(port);
    Ports.release(port + Ports.CLUSTER_BUS_OFFSET);
  }

  @Override
  public List<RedisURI> nodes() {
    return nodes.stream()
        .map(node -> RedisURI.create(Ports.LOOPBACK, node.port()))
        .collect(Collectors.toList());
  }

  @Override
  public String url() {
    return nodes.stream()
        .map(node -> Ports.LOOPBACK + ":" + node.port())
        .collect(Collectors.joining(",", "redis-cluster://", ""));
  }

  @Override
  public RedisClusterClient newClient() {
    return RedisClusterClient.create(nodes());
  }

  @Override
  public void flushAll() {
    for (RedisProcess node : nodes) {
      call(node.port(), "FLUSHALL");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (RedisProcess node : nodes) {
        node.stop();
      }
    } finally {
      nodes.forEach(node -> releasePorts(node.port()));
      TempDirs.deleteQuietly(directory);
      directoryReaping.cancel();
    }
  }

  @Override
  public String toString() {
    return "RedisCluster[" + url() + "]";
  }
}
