package dev.weft.spring.cache;

import dev.weft.Weft;
import dev.weft.cache.CacheOptions;
import dev.weft.spring.boot.WeftAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Makes a {@link WeftCacheManager} the application's {@link CacheManager} when {@code
 * weft.cache-manager.enabled=true} and the application defines no cache manager of its own:
 * ordered before Spring Boot's cache auto-configuration (Boot 3's and Boot 4's), which then backs
 * off. The application keeps its {@code @EnableCaching}; its {@code @Cacheable}, {@code
 * @CachePut} and {@code @CacheEvict} methods then run on Weft, each reading values as its return
 * type (see {@link WeftSpringCache}).
 */
@AutoConfiguration(
    after = WeftAutoConfiguration.class,
    beforeName = {
      "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
      "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration"
    })
@ConditionalOnProperty(prefix = "weft.cache-manager", name = "enabled", havingValue = "true")
@ConditionalOnBean(Weft.class)
@ConditionalOnMissingBean(CacheManager.class)
@EnableConfigurationProperties(WeftCacheManagerProperties.class)
public class WeftCacheManagerAutoConfiguration {

  /**
   * @param weft the runtime
   * @param properties {@code weft.cache-manager.*}
   * @param environment where Spring's {@code spring.cache.*} settings are read
   * @return the cache manager
   */
  @Bean
  public WeftCacheManager cacheManager(
      Weft weft, WeftCacheManagerProperties properties, Environment environment) {
    Binder binder = Binder.get(environment);
    CacheOptions defaults = CacheOptions.defaults();
    Duration springTtl =
        binder.bind("spring.cache.redis.time-to-live", Duration.class).orElse(null);
    if (springTtl != null && !springTtl.isZero() && !springTtl.isNegative()) {
      defaults = defaults.ttl(springTtl);
    }
    Boolean springNulls =
        binder.bind("spring.cache.redis.cache-null-values", Boolean.class).orElse(null);
    if (springNulls != null) {
      defaults = defaults.cacheNulls(springNulls);
    }
    defaults = options(properties.defaults(), defaults);
    WeftCacheManager.Builder builder =
        WeftCacheManager.builder(weft)
            .defaults(defaults)
            .dynamic(properties.isDynamic())
            .cacheNames(
                binder.bind("spring.cache.cache-names", Bindable.listOf(String.class))
                    .orElse(List.of()));
    for (Map.Entry<String, WeftCacheManagerProperties.Settings> cache :
        properties.getCaches().entrySet()) {
      builder.cache(cache.getKey(), options(cache.getValue(), defaults));
    }
    return builder.build();
  }

  /**
   * Puts {@link ValueTypeCacheResolver} in front of every Spring cache interceptor once the
   * singletons exist. Not a {@code BeanPostProcessor}: the interceptor is made while post
   * processors are being registered (the caching advisor needs it), before any could see it.
   * Either order with the interceptor's own {@code afterSingletonsInstantiated} works: before it,
   * the interceptor keeps the resolver given; after it, the resolver it made is wrapped.
   *
   * @param context where the interceptors are found
   * @param manager the cache manager, asked for lazily
   * @return the installer
   */
  @Bean
  SmartInitializingSingleton weftCacheValueTypes(
      ListableBeanFactory context, ObjectProvider<WeftCacheManager> manager) {
    return () -> {
      for (CacheAspectSupport interceptor :
          context.getBeansOfType(CacheAspectSupport.class, false, false).values()) {
        CacheResolver resolver = interceptor.getCacheResolver();
        if (!(resolver instanceof ValueTypeCacheResolver)) {
          interceptor.setCacheResolver(new ValueTypeCacheResolver(resolver, manager::getObject));
        }
      }
    };
  }

  /** @return {@code base} with what {@code settings} sets */
  static CacheOptions options(WeftCacheManagerProperties.Settings settings, CacheOptions base) {
    CacheOptions options = base;
    if (settings.getTtl() != null) {
      options = options.ttl(settings.getTtl());
    }
    if (settings.getJitter() != null) {
      options = options.jitter(settings.getJitter());
    }
    if (settings.getNear() != null) {
      options = options.near(settings.getNear());
    }
    if (settings.getCacheNullValues() != null) {
      options = options.cacheNulls(settings.getCacheNullValues());
    }
    if (settings.getStaleWhileRevalidate() != null) {
      options = options.staleWhileRevalidate(settings.getStaleWhileRevalidate());
    }
    if (settings.getEarlyRefresh() != null) {
      options = options.earlyRefresh(settings.getEarlyRefresh());
    }
    if (settings.getLoadTimeout() != null) {
      options = options.loadTimeout(settings.getLoadTimeout());
    }
    return options;
  }
}
