package dev.weft.spring.boot.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.codec.ValueCodec;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The Weft runtime of a Boot application writes values as the application's Jackson mapper does
 * ({@code spring.jackson.*}): Jackson 3's on Boot 4, Jackson 2's on Boot 3. Read back from Redis
 * as raw bytes.
 */
@WeftRedis
class ApplicationMapperTest {

  private static final Duration TTL = Duration.ofMinutes(1);

  record Order(String orderId, Instant placedAt) {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class AppWithCodec {
    @Bean
    ValueCodec ownCodec() {
      return new ValueCodec() {
        @Override
        public byte[] encode(Object value, java.lang.reflect.Type type) {
          return ("own:" + ((Order) value).orderId()).getBytes();
        }

        @Override
        public Object decode(byte[] bytes, java.lang.reflect.Type type) {
          return new Order(new String(bytes).substring(4), null);
        }
      };
    }
  }

  private static ConfigurableApplicationContext run(
      Class<?> app, RedisServer redis, String... properties) {
    return new SpringApplicationBuilder(app)
        .web(WebApplicationType.NONE)
        .properties(
            "spring.data.redis.host=" + redis.host(),
            "spring.data.redis.port=" + redis.port(),
            "weft.key-prefix=mapper",
            "weft.command-timeout=5s")
        .properties(properties)
        .run();
  }

  private static String raw(RedisServer redis, String key) {
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().get(key);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void cachedValue_withSnakeCaseNaming_isStoredAsTheApplicationsMapperWritesIt(RedisServer redis) {
    Order order = new Order("o-17", Instant.parse("2026-12-07T10:15:30Z"));
    try (ConfigurableApplicationContext context =
        run(App.class, redis, "spring.jackson.property-naming-strategy=SNAKE_CASE")) {
      Weft weft = context.getBean(Weft.class);

      weft.cached("order:o-17", TTL, Order.class, () -> order);

      String stored = raw(redis, "mapper:order:o-17");
      assertThat(stored)
          .isEqualTo("{\"order_id\":\"o-17\",\"placed_at\":\"2026-12-07T10:15:30Z\"}")
          .doesNotContain("Order", "dev.weft", "@class");
      Order read = weft.cached("order:o-17", TTL, Order.class, () -> null);
      assertThat(read).isEqualTo(order);
    }
  }

  @Test
  void codecBean_isTheJacksonOfTheBootLine(RedisServer redis) {
    boolean jackson3 =
        ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", null);
    try (ConfigurableApplicationContext context = run(App.class, redis)) {
      assertThat(context.getBean(ValueCodec.class))
          .isInstanceOf(jackson3 ? Jackson3ValueCodec.class : Jackson2ValueCodec.class);
    }
  }

  @Test
  void storedValue_withUnknownProperties_isReadAsTheDeclaredType(RedisServer redis) {
    try (ConfigurableApplicationContext context = run(App.class, redis)) {
      Weft weft = context.getBean(Weft.class);
      weft.cached("order:o-18", TTL, Order.class, () -> new Order("o-18", null));
      RedisClient client = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        connection.sync().set("mapper:order:o-18",
            "{\"orderId\":\"o-18\",\"addedLater\":1,\"placedAt\":\"2026-12-07T10:15:30Z\"}");
      } finally {
        client.shutdown();
      }

      Order read = weft.cached("order:o-18", TTL, Order.class, () -> null);

      assertThat(read).isEqualTo(new Order("o-18", Instant.parse("2026-12-07T10:15:30Z")));
    }
  }

  @Test
  void applicationCodecBean_replacesTheMapper(RedisServer redis) {
    try (ConfigurableApplicationContext context = run(AppWithCodec.class, redis)) {
      Weft weft = context.getBean(Weft.class);

      weft.cached("order:o-19", TTL, Order.class, () -> new Order("o-19", null));

      assertThat(raw(redis, "mapper:order:o-19")).isEqualTo("own:o-19");
    }
  }

  @Test
  void jacksonDisabled_keepsWeftsOwnJson(RedisServer redis) {
    try (ConfigurableApplicationContext context =
        run(App.class, redis, "weft.jackson.enabled=false",
            "spring.jackson.property-naming-strategy=SNAKE_CASE")) {
      Weft weft = context.getBean(Weft.class);

      weft.cached("order:o-20", TTL, Order.class, () -> new Order("o-20", null));

      assertThat(context.getBeanNamesForType(ValueCodec.class)).isEmpty();
      assertThat(raw(redis, "mapper:order:o-20")).contains("\"orderId\":\"o-20\"");
    }
  }
}
