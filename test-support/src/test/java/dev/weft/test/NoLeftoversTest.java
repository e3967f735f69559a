package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Closing a server and a cluster leaves no process, no listening port and no temp directory. */
@Tag("redis")
class NoLeftoversTest {

  @Test
  void closingServerAndCluster_leavesNoProcessPortOrDirectory() {
    Set<Long> childrenBefore = TestRedis.childPids();
    RedisServer server = RedisLauncher.startStandalone(TestRedis.localProcessesOnly());
    RedisCluster cluster = RedisLauncher.startCluster(TestRedis.localProcessesOnly());
    Set<Long> started = new HashSet<>(TestRedis.childPids());
    started.removeAll(childrenBefore);
    List<Integer> ports = new ArrayList<>(List.of(server.port()));
    for (RedisURI node : cluster.nodes()) {
      ports.add(node.getPort());
      ports.add(node.getPort() + 10000);
    }
    List<Path> directories = new ArrayList<>();
    RedisClient client = RedisClient.create();
    try {
      directories.add(configDirectory(client, server.uri()));
      directories.add(configDirectory(client, cluster.nodes().get(0)));
    } finally {
      client.shutdown();
    }
    assertThat(started).hasSize(4);
    assertThat(ports)
        .allSatisfy(port -> assertThat(TestRedis.refusesConnections("127.0.0.1", port)).isFalse());

    server.close();
    cluster.close();

    assertThat(started).allSatisfy(pid -> assertThat(TestRedis.isAlive(pid)).isFalse());
    assertThat(ports)
        .allSatisfy(port -> assertThat(TestRedis.refusesConnections("127.0.0.1", port)).isTrue());
    assertThat(directories).allSatisfy(directory -> assertThat(directory).doesNotExist());
  }

  private static Path configDirectory(RedisClient client, RedisURI uri) {
    try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
      Path config =
          Path.of(RedisProcess.infoField(connection.sync().info("server"), "config_file"));
      assertThat(Files.isRegularFile(config)).isTrue();
      return config.getParent();
    }
  }
}
