package dev.weft.sample.boot;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Shipping rates per country, on Spring's cache abstraction: plain {@code @Cacheable} code, as an
 * application has it before Weft. Which {@code CacheManager} serves it is configuration: {@code
 * weft.cache-manager.enabled=true} makes it Weft's.
 */
@Service
public class ShippingRates {

  /**
   * A shipping rate; {@link Serializable} as values had to be for Spring's {@code
   * RedisCacheManager} (JDK serialisation by default), which Weft's does not need (JSON).
   *
   * @param country the country's ISO code
   * @param cents the rate in cents
   */
  public record Quote(String country, long cents) implements Serializable {}

  private final AtomicLong computed = new AtomicLong();

  /**
   * @param country an ISO country code, such as {@code DE}
   * @return the rate, from the cache {@code shipping} when it holds one
   */
  @Cacheable(cacheNames = "shipping", sync = true)
  public Quote quote(String country) {
    computed.incrementAndGet();
    return new Quote(country, 490 + 10L * Math.floorMod(country.hashCode(), 50));
  }

  /** @return how many rates were computed (not found in the cache) since the start */
  public long computed() {
    return computed.get();
  }
}
