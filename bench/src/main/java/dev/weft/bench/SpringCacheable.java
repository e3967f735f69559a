package dev.weft.bench;

import dev.weft.bench.BenchService.Product;
import dev.weft.Weft;
import dev.weft.spring.cache.WeftCacheManager;
import dev.weft.spring.cache.WeftCacheManagerAutoConfiguration;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.aop.support.AopUtils;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.interceptor.CacheInterceptor;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.Jackson2JsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;

/**
 * Spring's {@code @Cacheable} on a proxied bean, served by a {@link RedisCacheManager} on Lettuce,
 * configured as an application without Spring Boot would: a plain
 * {@link AnnotationConfigApplicationContext} with {@code @EnableCaching}.
 *
 * <p>Kept as Spring ships it: the default key generator (the single argument is the key), the
 * non-locking cache writer, and a {@link LettuceConnectionFactory} that shares one native
 * connection between all callers (its default, as Weft does). Only what makes the entry the same
 * as the other contenders' is set: the key prefix {@code product:} (Spring's default would be
 * {@code product::}), the one-hour TTL, and a {@link Jackson2JsonRedisSerializer} typed to
 * {@link Product} on Weft's mapper configuration, so the JSON work is the same.
 */
final class SpringCacheable implements ProductCache {

  private final AnnotationConfigApplicationContext context;
  private final CachedProducts products;

  /** @param url the Redis URL, Lettuce syntax */
  SpringCacheable(String url) {
    this(context -> registerRedisCacheManager(context, url));
  }

  /**
   * The same bean in a context whose {@code CacheManager} comes from elsewhere: what moving an
   * application's {@code @Cacheable} code to another cache manager changes, and nothing else.
   *
   * @param cacheManager registers the beans that make up the context's {@code CacheManager}
   */
  SpringCacheable(Consumer<AnnotationConfigApplicationContext> cacheManager) {
    context = new AnnotationConfigApplicationContext();
    cacheManager.accept(context);
    context.register(CachingConfig.class);
    context.refresh();
    products = context.getBean(CachedProducts.class);
    if (!AopUtils.isAopProxy(products)) {
      throw new IllegalStateException("the @Cacheable bean is not proxied; is @EnableCaching on?");
    }
  }

  /**
   * The same bean on Weft's {@code CacheManager}, made as in a Spring Boot application with
   * {@code weft.cache-manager.enabled=true} and {@code weft.cache-manager.ttl=1h}: the starter's
   * {@link WeftCacheManagerAutoConfiguration}, which also gives each cached method a view of its
   * cache that reads values as its return type. The near tier is off (Weft's default).
   *
   * @param weft the runtime, closed with the context
   * @return the bean's context, open
   */
  static SpringCacheable onWeft(Weft weft) {
    return new SpringCacheable(
        context -> {
          context
              .getEnvironment()
              .getPropertySources()
              .addFirst(
                  new MapPropertySource(
                      "bench",
                      Map.of("weft.cache-manager.enabled", "true", "weft.cache-manager.ttl", "1h")));
          context.registerBean(Weft.class, () -> weft);
          context.register(WeftCacheManagerAutoConfiguration.class);
        });
  }

  /**
   * @return what serves the {@code @Cacheable} methods: the cache manager's class, and the cache
   *     resolver's that Spring's interceptor uses
   */
  String cacheManager() {
    return context.getBean(CacheManager.class).getClass().getSimpleName()
        + ", resolver "
        + context.getBean(CacheInterceptor.class).getCacheResolver().getClass().getSimpleName();
  }

  private static void registerRedisCacheManager(AnnotationConfigApplicationContext context, String url) {
    RedisAddress address = RedisAddress.parse(url);
    RedisStandaloneConfiguration server =
        new RedisStandaloneConfiguration(address.host(), address.port());
    server.setDatabase(address.database());
    server.setUsername(address.username());
    server.setPassword(RedisPassword.of(address.password()));
    LettuceClientConfiguration client =
        address.ssl()
            ? LettuceClientConfiguration.builder().useSsl().build()
            : LettuceClientConfiguration.defaultConfiguration();
    context.registerBean(RedisStandaloneConfiguration.class, () -> server);
    context.registerBean(LettuceClientConfiguration.class, () -> client);
    context.register(RedisCacheConfig.class);
  }

  @Override
  public Product product(String sku) {
    return products.product(sku);
  }

  /**
   * @param sku the product's SKU
   * @return the product through {@code @Cacheable(sync = true)}
   */
  Product slowProduct(String sku) throws InterruptedException {
    return products.slowProduct(sku);
  }

  /** @return how many times the bean's own method body has run (misses) */
  int invocations() {
    return products.invocations();
  }

  @Override
  public void close() {
    context.close();
  }

  /** The application's caching: {@code @EnableCaching} and the {@code @Cacheable} bean. */
  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class CachingConfig {

    @Bean
    CachedProducts products() {
      return new CachedProducts();
    }
  }

  /** Spring Data Redis's cache manager, as an application without Spring Boot configures it. */
  @Configuration(proxyBeanMethods = false)
  static class RedisCacheConfig {

    @Bean
    LettuceConnectionFactory redisConnectionFactory(
        RedisStandaloneConfiguration server, LettuceClientConfiguration client) {
      return new LettuceConnectionFactory(server, client);
    }

    @Bean
    RedisCacheManager cacheManager(RedisConnectionFactory connections) {
      RedisCacheConfiguration entries =
          RedisCacheConfiguration.defaultCacheConfig()
              .entryTtl(Duration.ofHours(1))
              .computePrefixWith(cacheName -> cacheName + ":")
              .serializeValuesWith(
                  SerializationPair.fromSerializer(
                      new Jackson2JsonRedisSerializer<>(BaselineJson.mapper(), Product.class)));
      return RedisCacheManager.builder(connections).cacheDefaults(entries).build();
    }
  }

  /** The bean whose method Spring caches; proxied by CGLIB (it implements no interface). */
  static class CachedProducts {

    private final AtomicInteger invocations = new AtomicInteger();

    /**
     * @param sku the product's SKU
     * @return a product; the body runs only on a miss
     */
    @Cacheable("product")
    public Product product(String sku) {
      invocations.incrementAndGet();
      return BenchService.load(sku);
    }

    /**
     * The miss-storm variant: Spring's own stampede protection ({@code sync = true}) around a
     * slow load.
     *
     * @param sku the product's SKU
     * @return a product
     */
    @Cacheable(cacheNames = "product", sync = true)
    public Product slowProduct(String sku) throws InterruptedException {
      invocations.incrementAndGet();
      Thread.sleep(MissStormCount.LOAD_MILLIS);
      return BenchService.load(sku);
    }

    /** @return how many times {@link #product} has run */
    public int invocations() {
      return invocations.get();
    }
  }
}
