package dev.weft.spring.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.cache.CacheOptions;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application's existing {@code @Cacheable}, {@code @CachePut} and {@code @CacheEvict} code on
 * Weft by configuration alone, asserted from Redis's keys.
 */
@WeftRedis
class WeftCacheManagerTest {

  public record Product(String sku, long cents) {}

  /** A value with no state: every one of it would render as the same key. */
  public static final class Anyone {}

  /** A bean with Spring's cache annotations and nothing of Weft. */
  public static class Catalog {
    private final AtomicInteger loads = new AtomicInteger();

    /** @return how many times a method body ran (read through the proxy, not its field) */
    public int loads() {
      return loads.get();
    }

    @Cacheable("products")
    public Product find(String sku) {
      loads.incrementAndGet();
      return new Product(sku, 100);
    }

    @CachePut(cacheNames = "products", key = "#product.sku")
    public Product save(Product product) {
      return product;
    }

    @CacheEvict("products")
    public void remove(String sku) {}

    @CacheEvict(cacheNames = "products", allEntries = true)
    public void removeAll() {}

    @Cacheable("prices")
    public List<Product> prices(String region, long id) {
      loads.incrementAndGet();
      return List.of(new Product(region + id, id));
    }

    @Cacheable("maybe")
    public Product maybe(String sku) {
      loads.incrementAndGet();
      return null;
    }

    @Cacheable("anyone")
    public String greet(Anyone who) {
      return "hello";
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

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableCaching
  static class OwnManagerApp {
    @Bean
    CacheManager cacheManager() {
      return new ConcurrentMapCacheManager();
    }
  }

  private RedisServer server;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    this.server = server;
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
    redis.flushall();
  }

  @AfterEach
  void close() {
    connection.close();
    client.shutdown();
  }

  private ConfigurableApplicationContext run(Class<?> app, String... properties) {
    List<String> all = new ArrayList<>(List.of(
        "spring.data.redis.host=" + server.host(), "spring.data.redis.port=" + server.port()));
    all.addAll(List.of(properties));
    return new SpringApplicationBuilder(app)
        .web(WebApplicationType.NONE)
        .properties(all.toArray(String[]::new))
        .run();
  }

  @Test
  void cacheable_byConfigurationAlone_storesUnderThePrefixWithEachCachesTtl() {
    try (ConfigurableApplicationContext context =
        run(App.class, "weft.cache-manager.enabled=true", "weft.key-prefix=shop",
            "weft.cache-manager.ttl=20m", "weft.cache-manager.caches.products.ttl=90s")) {
      Catalog catalog = context.getBean(Catalog.class);

      Product first = catalog.find("kb");
      Product second = catalog.find("kb");
      List<Product> prices = catalog.prices("eu", 42);
      List<Product> pricesAgain = catalog.prices("eu", 42);

      assertThat(context.getBean(CacheManager.class)).isInstanceOf(WeftCacheManager.class);
      assertThat(second).isEqualTo(first).isEqualTo(new Product("kb", 100));
      assertThat(pricesAgain).isEqualTo(prices).containsExactly(new Product("eu42", 42));
      assertThat(catalog.loads()).isEqualTo(2);
      assertThat(redis.get("shop:products::kb")).isEqualTo("{\"sku\":\"kb\",\"cents\":100}");
      assertThat(redis.pttl("shop:products::kb")).isBetween(1L, 90_000L);
      assertThat(redis.pttl("shop:prices::[\"eu\",42]"))
          .isBetween(90_001L, Duration.ofMinutes(20).toMillis());
    }
  }

  @Test
  void cachePutAndCacheEvict_writeAndRemoveTheEntry() {
    try (ConfigurableApplicationContext context = run(App.class, "weft.cache-manager.enabled=true")) {
      Catalog catalog = context.getBean(Catalog.class);
      catalog.find("kb");

      catalog.save(new Product("kb", 250));
      Product updated = catalog.find("kb");
      catalog.remove("kb");
      boolean goneAfterEvict = redis.exists("products::kb") == 0;
      Product reloaded = catalog.find("kb");

      assertThat(updated).isEqualTo(new Product("kb", 250));
      assertThat(goneAfterEvict).isTrue();
      assertThat(reloaded).isEqualTo(new Product("kb", 100));
      assertThat(catalog.loads()).isEqualTo(2);
    }
  }

  @Test
  void cacheEvictAllEntries_removesTheCachesNamespaceOnly() {
    try (ConfigurableApplicationContext context = run(App.class, "weft.cache-manager.enabled=true")) {
      Catalog catalog = context.getBean(Catalog.class);
      catalog.find("kb");
      catalog.find("mouse");
      catalog.prices("eu", 1);
      redis.set("products:other", "kept");
      redis.set("productsx::kb", "kept");

      catalog.removeAll();

      assertThat(redis.keys("products::*")).isEmpty();
      assertThat(redis.exists("prices::[\"eu\",1]", "products:other", "productsx::kb")).isEqualTo(3);
    }
  }

  @Test
  void nullResult_cachedWhenAllowed_refusedAsSpringDoesWhenNot() {
    try (ConfigurableApplicationContext allowed = run(App.class, "weft.cache-manager.enabled=true")) {
      Catalog catalog = allowed.getBean(Catalog.class);
      assertThat(catalog.maybe("none")).isNull();
      assertThat(catalog.maybe("none")).isNull();
      assertThat(catalog.loads()).isEqualTo(1);
      assertThat(redis.get("maybe::none")).isEqualTo("null");
    }
    redis.flushall();
    try (ConfigurableApplicationContext refused =
        run(App.class, "weft.cache-manager.enabled=true",
            "weft.cache-manager.caches.maybe.cache-null-values=false")) {
      Catalog catalog = refused.getBean(Catalog.class);
      Cache maybe = refused.getBean(CacheManager.class).getCache("maybe");
      Object loaded = maybe.get("sync", () -> null);

      assertThatThrownBy(() -> catalog.maybe("none"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'maybe' is configured to not allow null values")
          .hasMessageContaining("unless = \"#result == null\"");
      assertThat(loaded).isNull();
      assertThat(redis.exists("maybe::none", "maybe::sync")).isZero();
    }
  }

  @Test
  void keyWithoutState_isRefusedSayingWhatToDo() {
    try (ConfigurableApplicationContext context = run(App.class, "weft.cache-manager.enabled=true")) {
      Catalog catalog = context.getBean(Catalog.class);

      assertThatThrownBy(() -> catalog.greet(new Anyone()))
          .isInstanceOf(WeftConfigurationException.class)
          .hasMessageContaining("Cache 'anyone'")
          .hasMessageContaining(Anyone.class.getName())
          .hasMessageContaining("no instance fields")
          .hasMessageContaining("key = \"#order.id\"");
    }
  }

  @Test
  void springCacheSettings_areHonouredWhenWeftsAreNotGiven() {
    try (ConfigurableApplicationContext context =
        run(App.class, "weft.cache-manager.enabled=true", "weft.cache-manager.dynamic=false",
            "spring.cache.cache-names=products,prices",
            "spring.cache.redis.time-to-live=45s")) {
      WeftCacheManager manager = context.getBean(WeftCacheManager.class);
      context.getBean(Catalog.class).find("kb");

      assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("products", "prices");
      assertThat(manager.getCache("other")).isNull();
      assertThat(manager.options("products").ttl()).isEqualTo(Duration.ofSeconds(45));
      assertThat(redis.pttl("products::kb")).isBetween(1L, 45_000L);
    }
  }

  @Test
  void applicationsOwnCacheManager_isKept() {
    try (ConfigurableApplicationContext context =
        run(OwnManagerApp.class, "weft.cache-manager.enabled=true")) {
      assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
      assertThat(context.getBeansOfType(WeftCacheManager.class)).isEmpty();
    }
  }

  @Test
  void withoutEnabled_noWeftCacheManager() {
    try (ConfigurableApplicationContext context = run(App.class)) {
      assertThat(context.getBeansOfType(WeftCacheManager.class)).isEmpty();
    }
  }

  @Test
  void builtWithoutSpring_getPutEvictAndClearWork() {
    try (Weft weft = Weft.builder().redisUrl(server.url()).build()) {
      WeftCacheManager manager =
          WeftCacheManager.builder(weft)
              .defaults(CacheOptions.defaults().ttl("1m").jitter("5s"))
              .cache("products", CacheOptions.defaults().ttl("2m"))
              .build();
      WeftSpringCache products = manager.getCache("products", Product.class);

      Product loaded = products.get("kb", () -> new Product("kb", 1));
      Cache.ValueWrapper hit = products.get("kb");
      Cache.ValueWrapper kept = products.putIfAbsent("kb", new Product("kb", 2));
      boolean evicted = products.evictIfPresent("kb");
      Cache.ValueWrapper gone = products.get("kb");
      products.put("a:b", new Product("a:b", 3));
      boolean cleared = products.invalidate();

      assertThat(loaded).isEqualTo(new Product("kb", 1));
      assertThat(hit.get()).isEqualTo(loaded);
      assertThat(kept.get()).isEqualTo(loaded);
      assertThat(evicted).isTrue();
      assertThat(gone).isNull();
      assertThat(cleared).isTrue();
      assertThat(redis.keys("products::*")).isEmpty();
      assertThat(manager.options("other").jitter()).isEqualTo(Duration.ofSeconds(5));
      assertThat(products.getName()).isEqualTo("products");
    }
  }
}
