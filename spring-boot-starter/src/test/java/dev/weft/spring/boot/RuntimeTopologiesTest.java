package dev.weft.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisCluster;
import dev.weft.test.RedisSentinelGroup;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** spring.data.redis.cluster.* and spring.data.redis.sentinel.* give Weft the same deployment. */
@WeftRedisCluster
class RuntimeTopologiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  private static ConfigurableApplicationContext run(String... properties) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties(properties)
        .run();
  }

  @Test
  void clusterNodes_giveAClusterRuntime(RedisCluster cluster) {
    String nodes =
        cluster.nodes().stream()
            .map(n -> n.getHost() + ":" + n.getPort())
            .collect(Collectors.joining(","));
    try (ConfigurableApplicationContext context = run("spring.data.redis.cluster.nodes=" + nodes)) {
      Weft weft = context.getBean(Weft.class);
      for (int i = 0; i < 20; i++) {
        weft.cached("topology:" + i, Duration.ofMinutes(1), String.class, () -> "v");
      }
      RedisClusterClient client = cluster.newClient();
      try {
        var redis = client.connect().sync();
        for (int i = 0; i < 20; i++) {
          assertThat(redis.exists("topology:" + i)).isEqualTo(1);
        }
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void sentinelMasterAndNodes_giveARuntimeOnTheMaster() {
    try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
      RedisURI uri = RedisURI.create(group.url());
      String nodes =
          uri.getSentinels().stream()
              .map(n -> n.getHost() + ":" + n.getPort())
              .collect(Collectors.joining(","));
      try (ConfigurableApplicationContext context =
          run(
              "spring.data.redis.sentinel.master=" + uri.getSentinelMasterId(),
              "spring.data.redis.sentinel.nodes=" + nodes)) {
        Weft weft = context.getBean(Weft.class);
        weft.cached("topology:sentinel", Duration.ofMinutes(1), String.class, () -> "v");
        assertThat(group.call(group.masterPort(), "EXISTS", "topology:sentinel")).isEqualTo(1L);
      }
    }
  }
}
