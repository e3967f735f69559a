package dev.weft.sample.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * The shop as a Spring Boot service with {@code weft-spring-boot-starter} and nothing else of
 * Weft: no build plugin, no agent.
 *
 * <h2>Design</h2>
 *
 * The starter makes one Weft runtime from {@code spring.data.redis.*}, the settings Boot's own
 * {@code StringRedisTemplate} reads, so Redis is configured once. Its beans carry Weft's
 * annotations ({@link Catalog}: {@code @Cached}, {@code @Invalidate}; {@link OrderService}: {@code
 * @RateLimited}; {@link StockLedger}: {@code @DistributedLock}) and nobody weaves them: the starter
 * wraps each in a Spring AOP proxy that applies them, as Spring applies {@code @Transactional}. So
 * the proxies' rule holds: only calls from another bean go through the proxy, which is why every
 * annotated method here is called by {@link ShopController}. {@link ShippingRates} keeps Spring's
 * own {@code @Cacheable}; {@code weft.cache-manager.enabled=true} in {@code application.properties}
 * puts it on Weft's {@code CacheManager} without a change to its code.
 */
@SpringBootApplication
@EnableCaching
public class ShopApplication {

  /**
   * Starts the service; {@code spring.data.redis.*} must name a Redis (the demo, {@code
   * BootDemo}, starts one when none is configured).
   *
   * @param args Spring Boot's command line ({@code --server.port=8081}, ...)
   */
  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }
}
