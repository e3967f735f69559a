package dev.weft.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.internal.WeftAccess;
import dev.weft.outage.LogCapture;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * On a cluster every master is read: one master with an evicting policy among three is named in
 * the one WARN, the others are not.
 */
@WeftRedisCluster
class ClusterEvictionPolicyWarningTest {

  @Test
  void start_oneMasterEvicts_warnsOnceNamingThatMaster(RedisCluster cluster) throws Exception {
    List<RedisURI> masters = cluster.nodes();
    RedisURI evicting = masters.get(1);
    LogCapture logs = LogCapture.start();
    try {
      on(evicting, r -> {
        r.configSet("maxmemory", "100mb");
        r.configSet("maxmemory-policy", "volatile-lfu");
      });
      try (Weft weft = Weft.builder().redisUrl(cluster.url()).build()) {
        WeftAccess.redis(weft).evictionChecked().get(10, TimeUnit.SECONDS);
        weft.cached("k", Duration.ofMinutes(1), String.class, () -> "v");
      }

      List<String> warnings = logs.lines("WARN", "dev.weft.").stream()
          .filter(l -> l.contains("evicts keys when it reaches maxmemory")).toList();
      assertThat(warnings).singleElement().asString()
          .contains(":" + evicting.getPort() + ": maxmemory-policy volatile-lfu")
          .doesNotContain(":" + masters.get(0).getPort() + ": ")
          .doesNotContain(":" + masters.get(2).getPort() + ": ");
    } finally {
      logs.close();
      on(evicting, r -> {
        r.configSet("maxmemory-policy", "noeviction");
        r.configSet("maxmemory", "0");
      });
    }
  }

  private static void on(
      RedisURI node, Consumer<io.lettuce.core.api.sync.RedisCommands<String, String>> commands) {
    RedisClient client = RedisClient.create(node);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      commands.accept(c.sync());
    } finally {
      client.shutdown();
    }
  }
}
