package dev.weft.spring.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A cache with a near tier, shared by two application contexts with a runtime each: a context
 * serves its local copy, and drops it when the other context writes the entry.
 */
@WeftRedis
class WeftCacheManagerNearTierTest {

  public record Product(String sku, long cents) {}

  /** A bean with Spring's cache annotations. */
  public static class Catalog {
    private final AtomicInteger loads = new AtomicInteger();

    @Cacheable("products")
    public Product find(String sku) {
      loads.incrementAndGet();
      return new Product(sku, 100);
    }

    @CachePut(cacheNames = "products", key = "#product.sku")
    public Product save(Product product) {
      return product;
    }

    /** @return how many times {@link #find} ran */
    public int loads() {
      return loads.get();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableCaching
  static class App {
    @Bean
    Catalog catalog() {
      return new Catalog();
    }
  }

  private static ConfigurableApplicationContext start(RedisServer redis) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties(
            "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
            "weft.cache-manager.enabled=true", "weft.cache-manager.caches.products.near=true")
        .run();
  }

  @Test
  void nearTier_servesItsCopy_andDropsItWhenTheOtherContextWrites(RedisServer server) {
    RedisClient client = RedisClient.create(server.url());
    try (StatefulRedisConnection<String, String> connection = client.connect();
        ConfigurableApplicationContext first = start(server);
        ConfigurableApplicationContext second = start(server)) {
      RedisCommands<String, String> redis = connection.sync();
      Catalog here = first.getBean(Catalog.class);
      Catalog there = second.getBean(Catalog.class);
      here.find("kb");

      // Once the change feed is live, the first context keeps what it reads: an entry changed
      // behind Weft's back (no announcement) is not seen there.
      Await.until(Duration.ofSeconds(10), () -> "the first context serving its near copy", () -> {
        there.save(new Product("kb", 100));
        here.find("kb");
        redis.set("products::kb", "{\"sku\":\"kb\",\"cents\":1}", SetArgs.Builder.px(60_000));
        return here.find("kb").cents() == 100;
      });
      there.save(new Product("kb", 250));

      Await.until(Duration.ofSeconds(10), () -> "the second context's write, seen by the first",
          () -> here.find("kb").cents() == 250);
      assertThat(here.find("kb")).isEqualTo(new Product("kb", 250));
      assertThat(here.loads()).isEqualTo(1);
      assertThat(there.loads()).isZero();
    } finally {
      client.shutdown();
    }
  }
}
