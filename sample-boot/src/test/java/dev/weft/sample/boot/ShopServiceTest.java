package dev.weft.sample.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot sample as it runs, asserted from outside: the service starts against the
 * harness's Redis, configured by {@code spring.data.redis.*} alone, with no build plugin and no
 * agent; the tests call it over HTTP and read Redis with a client of their own.
 */
@WeftRedis
class ShopServiceTest {

  private static ConfigurableApplicationContext context;
  private static ShopClient shop;
  private static RedisClient redisClient;
  private static StatefulRedisConnection<String, String> connection;
  private static RedisCommands<String, String> redis;

  @BeforeAll
  static void startService(RedisServer server) {
    context =
        new SpringApplicationBuilder(ShopApplication.class)
            .properties(
                "spring.data.redis.host=" + server.host(),
                "spring.data.redis.port=" + server.port(),
                "server.address=127.0.0.1",
                "server.port=0",
                "spring.main.banner-mode=off")
            .run();
    shop = new ShopClient(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    redisClient = RedisClient.create(server.uri());
    connection = redisClient.connect();
    redis = connection.sync();
  }

  @AfterAll
  static void stopService() {
    if (connection != null) {
      connection.close();
      redisClient.shutdown();
    }
    if (context != null) {
      context.close();
    }
  }

  @Test
  void beans_withoutPluginOrAgent_areProxiedByTheStarter() {
    assertThat(stats().path("catalogProxied").asBoolean()).isTrue();
  }

  @Test
  void product_readFiveTimes_reachesTheSourceOnceAndIsKeptInRedis() {
    long before = stats().path("productReads").asLong();

    for (int i = 0; i < 5; i++) {
      ShopClient.Answer answer = shop.product("hp-04");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body().path("name").asText()).isEqualTo("Headphones");
    }

    assertThat(stats().path("productReads").asLong() - before).isEqualTo(1);
    assertThat(redis.exists("weft-sample-boot:product:hp-04")).isEqualTo(1);
  }

  @Test
  void changePrice_cachedProduct_dropsTheEntryAndTheNextReadLoadsTheNewPrice() {
    long price = shop.product("wc-05").body().path("priceCents").asLong();
    assertThat(redis.exists("weft-sample-boot:product:wc-05")).isEqualTo(1);

    assertThat(shop.changePrice("wc-05", price + 100).status()).isEqualTo(200);

    assertThat(redis.exists("weft-sample-boot:product:wc-05")).isZero();
    long before = stats().path("productReads").asLong();
    assertThat(shop.product("wc-05").body().path("priceCents").asLong()).isEqualTo(price + 100);
    assertThat(stats().path("productReads").asLong() - before).isEqualTo(1);
  }

  @Test
  void orders_twentyAtOnceByOneUser_overTheLimitAnswer429WithRetryAfterWhileOtherUsersOrder()
      throws Exception {
    List<ShopClient.Answer> answers = concurrently(20, () -> shop.order("eve", "kb-01", 1));

    List<ShopClient.Answer> limited = answers.stream().filter(a -> a.status() == 429).toList();
    assertThat(limited).isNotEmpty();
    assertThat(limited).allSatisfy(a -> assertThat(a.header("Retry-After")).isPresent());
    assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(201, 429));
    assertThat(shop.order("bob", "kb-01", 1).status()).isEqualTo(201);
  }

  @Test
  void restock_eightCallersAtOnce_runOneAtATimeAndLoseNoUnits() throws Exception {
    List<ShopClient.Answer> answers = concurrently(40, () -> shop.restock("ch-06", 5));

    assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
    assertThat(shop.stock("ch-06").body().path("units").asLong()).isEqualTo(200);
    assertThat(redis.get(StockLedger.KEY_PREFIX + "ch-06")).isEqualTo("200");
    assertThat(stats().path("mostRestocksInside").asInt()).isEqualTo(1);
  }

  @Test
  void shipping_cacheableCode_runsOnWeftsCacheManagerAndComputesOncePerCountry() {
    assertThat(stats().path("cacheManager").asText()).startsWith("dev.weft.");
    long before = stats().path("ratesComputed").asLong();

    for (int i = 0; i < 5; i++) {
      assertThat(shop.shipping("SE").body().path("country").asText()).isEqualTo("SE");
    }

    assertThat(stats().path("ratesComputed").asLong() - before).isEqualTo(1);
    assertThat(redis.scan(ScanArgs.Builder.matches("*shipping*").limit(1000)).getKeys())
        .anySatisfy(key -> assertThat(key).contains("SE"));
  }

  @Test
  void health_withRedisUp_isUpWithWeftsComponent() {
    ShopClient.Answer health = shop.health();

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().path("status").asText()).isEqualTo("UP");
    assertThat(health.body().path("components").path("weft").path("status").asText())
        .isEqualTo("UP");
    assertThat(health.body().path("components").path("redis").path("status").asText())
        .isEqualTo("UP");
  }

  /** Makes {@code count} calls from 8 threads at once and returns their answers. */
  private static List<ShopClient.Answer> concurrently(int count, Supplier<ShopClient.Answer> call)
      throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<ShopClient.Answer>> calls = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        calls.add(CompletableFuture.supplyAsync(call, callers));
      }
      List<ShopClient.Answer> answers = new ArrayList<>();
      for (CompletableFuture<ShopClient.Answer> answer : calls) {
        answers.add(answer.get(30, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      callers.shutdownNow();
    }
  }

  private static JsonNode stats() {
    return shop.stats().body();
  }
}
