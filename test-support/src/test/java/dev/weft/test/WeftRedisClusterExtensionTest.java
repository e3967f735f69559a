package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@link WeftRedis @WeftRedis} and {@link WeftRedisCluster @WeftRedisCluster} on one class. */
@WeftRedis
@WeftRedisCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WeftRedisClusterExtensionTest {

  private static RedisClusterClient client;

  @BeforeAll
  static void createClient(RedisCluster cluster) {
    client = cluster.newClient();
  }

  @AfterAll
  static void shutdownClient() {
    client.shutdown();
  }

  @Test
  @Order(1)
  void bothAreInjected_onDistinctPorts(RedisServer server, RedisCluster cluster) {
    assertThat(cluster.nodes()).hasSize(3);
    assertThat(cluster.nodes()).noneMatch(node -> node.getPort() == server.port());
  }

  @Test
  @Order(2)
  void writeAKeyToTheCluster() {
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      connection.sync().set("weft:cluster-left-behind", "1");
    }
  }

  @Test
  @Order(3)
  void keyOfThePreviousTest_isFlushedFromTheCluster() {
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().exists("weft:cluster-left-behind")).isZero();
    }
  }
}
