package dev.weft.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.bench.BenchService.Product;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring's {@code @Cacheable} on a CGLIB-proxied bean, served by a {@link CaffeineCacheManager}:
 * what a Spring application puts around a method to cache it in the JVM, and what a near-cache hit
 * is compared with. The Caffeine cache is built as Weft's near tier is (at most 10,000 entries,
 * expiring one hour after write); everything else is Spring's default: the key is the single
 * argument ({@code SimpleKeyGenerator}), the proxy is CGLIB's ({@code proxyTargetClass}, Spring
 * Boot's default), no {@code sync}.
 */
final class SpringLocalCacheable implements ProductSource, AutoCloseable {

  private final AnnotationConfigApplicationContext context;
  private final Products products;

  /** @param product the one product the bean knows, not {@code null} */
  SpringLocalCacheable(Product product) {
    context = new AnnotationConfigApplicationContext();
    context.registerBean(Products.class, () -> new Products(product));
    context.register(CacheConfig.class);
    context.refresh();
    products = context.getBean(Products.class);
    if (!AopUtils.isCglibProxy(products)) {
      throw new IllegalStateException("the @Cacheable bean is not a CGLIB proxy; is @EnableCaching on?");
    }
  }

  @Override
  public Product product(String sku) {
    return products.product(sku);
  }

  @Override
  public int bodyRuns() {
    return products.bodyRuns();
  }

  @Override
  public void close() {
    context.close();
  }

  /** The application's cache configuration. */
  @Configuration(proxyBeanMethods = false)
  @EnableCaching(proxyTargetClass = true)
  static class CacheConfig {

    @Bean
    CacheManager cacheManager() {
      CaffeineCacheManager manager = new CaffeineCacheManager();
      manager.setCaffeine(
          Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)));
      return manager;
    }
  }

  /** The bean whose method Spring caches; the same body as the other contenders'. */
  static class Products {

    private final Map<String, Product> products = new HashMap<>();
    private int bodyRuns;

    Products(Product product) {
      products.put(product.sku(), product);
    }

    /**
     * @param sku the product's SKU
     * @return the product; the body runs only on a miss
     */
    @Cacheable("near-product")
    public Product product(String sku) {
      bodyRuns++;
      return products.get(sku);
    }

    /** @return how many times {@link #product}'s body has run */
    public int bodyRuns() {
      return bodyRuns;
    }
  }
}
