package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A three-master cluster from {@link RedisLauncher#startCluster()}, through Lettuce. */
@Tag("redis")
class RedisClusterTest {

  private static RedisCluster cluster;
  private static RedisClusterClient clusterClient;
  private static RedisClient nodeClient;
  private static StatefulRedisClusterConnection<String, String> connection;

  @BeforeAll
  static void startCluster() {
    cluster = RedisLauncher.startCluster();
    clusterClient = cluster.newClient();
    connection = clusterClient.connect();
    nodeClient = RedisClient.create();
  }

  @AfterAll
  static void closeCluster() {
    connection.close();
    clusterClient.shutdown();
    nodeClient.shutdown();
    cluster.close();
  }

  @BeforeEach
  void flush() {
    cluster.flushAll();
  }

  @Test
  void thousandKeys_areWrittenAndRead_acrossAllThreeMasters() {
    RedisAdvancedClusterCommands<String, String> commands = connection.sync();
    List<String> keys =
        IntStream.range(0, 1000).mapToObj(i -> "weft:item:" + i).collect(Collectors.toList());

    keys.forEach(key -> commands.set(key, "value-of-" + key));

    assertThat(keys.stream().map(SlotHash::getSlot).distinct().count()).isGreaterThan(900);
    assertThat(keys).allSatisfy(key -> assertThat(commands.get(key)).isEqualTo("value-of-" + key));
    List<Long> keysPerNode =
        cluster.nodes().stream().map(this::dbsize).collect(Collectors.toList());
    assertThat(keysPerNode).hasSize(3).allSatisfy(count -> assertThat(count).isPositive());
    assertThat(keysPerNode.stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
  }

  @Test
  void multiKeyCommands_onKeysSharingAHashTag_work() {
    RedisAdvancedClusterCommands<String, String> commands = connection.sync();
    Map<String, String> user = new LinkedHashMap<>();
    user.put("{user:42}:name", "Ada");
    user.put("{user:42}:email", "ada@example.org");

    commands.mset(user);

    assertThat(SlotHash.getSlot("{user:42}:name")).isEqualTo(SlotHash.getSlot("{user:42}:email"));
    assertThat(commands.mget("{user:42}:name", "{user:42}:email"))
        .extracting(kv -> kv.getValue())
        .containsExactly("Ada", "ada@example.org");
    String renamed =
        commands.eval(
            "redis.call('RENAME', KEYS[1], KEYS[2]); return redis.call('GET', KEYS[2])",
            ScriptOutputType.VALUE,
            "{user:42}:name",
            "{user:42}:display");
    assertThat(renamed).isEqualTo("Ada");
  }

  @Test
  void everyNode_reportsAHealthyClusterOfThree() {
    for (RedisURI node : cluster.nodes()) {
      try (StatefulRedisConnection<String, String> direct = nodeClient.connect(node)) {
        String info = direct.sync().clusterInfo();
        assertThat(RedisProcess.infoField(info, "cluster_state")).isEqualTo("ok");
        assertThat(RedisProcess.infoField(info, "cluster_known_nodes")).isEqualTo("3");
        assertThat(RedisProcess.infoField(info, "cluster_size")).isEqualTo("3");
      }
    }
  }

  @Test
  void url_listsEveryNodeAsASeed() {
    String expected =
        cluster.nodes().stream()
            .map(node -> node.getHost() + ":" + node.getPort())
            .collect(Collectors.joining(",", "redis-cluster://", ""));

    assertThat(cluster.url()).isEqualTo(expected).startsWith("redis-cluster://127.0.0.1:");
  }

  @Test
  void flushAll_emptiesEveryNode() {
    RedisAdvancedClusterCommands<String, String> commands = connection.sync();
    for (int i = 0; i < 3; i++) {
      commands.set(LocalRedisCluster.keyOnNode(i), "x");
    }

    cluster.flushAll();

    assertThat(cluster.nodes()).allSatisfy(node -> assertThat(dbsize(node)).isZero());
  }

  private long dbsize(RedisURI node) {
    try (StatefulRedisConnection<String, String> direct = nodeClient.connect(node)) {
      return direct.sync().dbsize();
    }
  }
}
