package dev.weft.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.weaving.AnnotationProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The runtime bean reads where Redis is and how to log in from spring.data.redis.* and weft.*. */
@WeftRedis
class RuntimeSettingsTest {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  private RedisClient client;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    client = RedisClient.create(RedisURI.create(server.url()));
    StatefulRedisConnection<String, String> connection = client.connect();
    redis = connection.sync();
  }

  @AfterEach
  void disconnect() {
    client.shutdown();
  }

  private static ConfigurableApplicationContext run(String... properties) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties(properties)
        .run();
  }

  private static String cached(Weft weft, String key) {
    return weft.cached(key, Duration.ofMinutes(1), String.class, () -> "loaded");
  }

  @Test
  void aclUserWithReservedCharactersInItsPassword_isUsedAsIs_andNeverShown(RedisServer server) {
    String password = "p@ss:w/rd%^ ,#?";
    redis.aclSetuser(
        "app",
        AclSetuserArgs.Builder.on().addPassword(password).allKeys().allChannels().allCommands());
    try (ConfigurableApplicationContext context =
        run(
            "spring.data.redis.host=" + server.host(),
            "spring.data.redis.port=" + server.port(),
            "spring.data.redis.username=app",
            "spring.data.redis.password=" + password)) {
      Weft weft = context.getBean(Weft.class);
      assertThat(cached(weft, "settings:acl")).isEqualTo("loaded");
      assertThat(redis.exists("settings:acl")).isEqualTo(1);
      assertThat(redis.clientList()).contains("user=app");
      assertThat(weft.health().toString()).doesNotContain(password).doesNotContain("p@ss");
      assertThat(weft.redisUrl()).doesNotContain("p@ss");
    } finally {
      redis.aclDeluser("app");
    }
  }

  @Test
  void database_isTheOneSpringDataRedisNames(RedisServer server) {
    try (ConfigurableApplicationContext context =
        run(
            "spring.data.redis.host=" + server.host(),
            "spring.data.redis.port=" + server.port(),
            "spring.data.redis.database=3")) {
      cached(context.getBean(Weft.class), "settings:db");
      assertThat(redis.exists("settings:db")).isZero();
      redis.select(3);
      assertThat(redis.exists("settings:db")).isEqualTo(1);
    }
  }

  @Test
  void weftRedisUrl_winsOverSpringDataRedis(RedisServer server) {
    try (ConfigurableApplicationContext context =
        run(
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=1",
            "weft.redis.url=" + server.url(),
            "weft.key-prefix=orders",
            "weft.command-timeout=750ms")) {
      Weft weft = context.getBean(Weft.class);
      assertThat(weft.health().up()).isTrue();
      cached(weft, "settings:url");
      assertThat(redis.exists("orders:settings:url")).isEqualTo(1);
    }
  }

  @Test
  void springDataRedisUrl_isUsed(RedisServer server) {
    try (ConfigurableApplicationContext context = run("spring.data.redis.url=" + server.url())) {
      cached(context.getBean(Weft.class), "settings:spring-url");
      assertThat(redis.exists("settings:spring-url")).isEqualTo(1);
    }
  }

  @Test
  void clusterNodeThatIsNotHostAndPort_failsStartUp_namingTheProperty() {
    assertThatThrownBy(() -> run("spring.data.redis.cluster.nodes=redis-1:6379,redis-2"))
        .rootCause()
        .hasMessageContaining("spring.data.redis.cluster.nodes")
        .hasMessageContaining("\"redis-2\"")
        .hasMessageContaining("host:port");
  }

  @Test
  void usernameWithoutPassword_failsStartUp_sayingWhatIsMissing() {
    assertThatThrownBy(() -> run("spring.data.redis.username=app"))
        .rootCause()
        .hasMessageContaining("spring.data.redis.password");
  }

  @Test
  void contextClose_closesTheRuntime_andGivesWovenMethodsThePreviousOneBack(RedisServer server) {
    Weft previous = Weft.builder().redisUrl(server.url()).build();
    Weft.install(previous);
    try {
      Weft weft;
      try (ConfigurableApplicationContext context = run("spring.data.redis.url=" + server.url())) {
        weft = context.getBean(Weft.class);
        assertThat(Weft.global()).isSameAs(weft);
      }
      assertThat(Weft.global()).isSameAs(previous);
      assertThat(weft.health().up()).isFalse();
    } finally {
      previous.close();
    }
  }

  @Test
  void propertyReferenceInADuration_readsTheEnvironment(RedisServer server) {
    try (ConfigurableApplicationContext context =
        run("spring.data.redis.url=" + server.url(), "orders.cache.ttl=7s")) {
      WeftCache<String> cache =
          context.getBean(Weft.class)
              .cache(String.class, CacheOptions.defaults().ttl("${orders.cache.ttl}"));
      cache.get("settings:env-ttl", () -> "v");
      assertThat(redis.pttl("settings:env-ttl")).isBetween(5_000L, 7_000L);
    }
    assertThat(AnnotationProperties.installed()).isNull();
  }

  @Test
  void applicationMeterRegistry_getsTheRuntimesMeters(RedisServer server) {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class, Meters.class)
            .web(WebApplicationType.NONE)
            .properties("spring.data.redis.url=" + server.url())
            .run()) {
      Weft weft = context.getBean(Weft.class);
      double globalBefore = cacheGets(Metrics.globalRegistry);
      cached(weft, "settings:meters");
      cached(weft, "settings:meters");
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(cacheGets(registry)).isEqualTo(2.0);
      assertThat(cacheGets(Metrics.globalRegistry)).isEqualTo(globalBefore);
    }
  }

  private static double cacheGets(MeterRegistry registry) {
    return registry.find("weft.cache.gets").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Configuration(proxyBeanMethods = false)
  static class Meters {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }
}
