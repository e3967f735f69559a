package dev.weft.spring.boot;

import dev.weft.Weft;
import dev.weft.codec.ValueCodec;
import dev.weft.exception.WeftConfigurationException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.core.env.Environment;

/**
 * The Weft runtime of a Spring Boot application: one {@link Weft} bean, configured from {@code
 * spring.data.redis.*} and {@code weft.*} ({@link WeftProperties}), which woven methods and the
 * starter's proxies use, closed with the context.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "weft", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(WeftProperties.class)
public class WeftAutoConfiguration {

  /**
   * @param properties {@code weft.*}
   * @param environment where {@code spring.data.redis.*} is read
   * @param sslBundles the context's SSL bundles, for {@code spring.data.redis.ssl.bundle}
   * @param codec how values are written, when the context has one (the application's Jackson)
   * @param customizers the application's and the starter's changes to the builder, applied last
   * @return the runtime, installed for woven methods until the context closes
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Weft weft(
      WeftProperties properties, Environment environment, ObjectProvider<SslBundles> sslBundles,
      ObjectProvider<ValueCodec> codec, ObjectProvider<WeftBuilderCustomizer> customizers) {
    Weft.Builder builder = RuntimeSettings.from(properties, environment);
    codec.ifUnique(builder::codec);
    String bundle = SpringDataRedis.from(environment).getSsl().getBundle();
    if (bundle != null && properties.getRedis().getUrl() == null) {
      SslBundles bundles = sslBundles.getIfAvailable();
      if (bundles == null) {
        throw new WeftConfigurationException(
            "spring.data.redis.ssl.bundle=" + bundle + " names an SSL bundle, but the context has"
                + " no SslBundles: define it under spring.ssl.bundle.pem." + bundle + " or"
                + " spring.ssl.bundle.jks." + bundle);
      }
      SslManagerBundle managers = bundles.getBundle(bundle).getManagers();
      builder.tls(managers.getKeyManagerFactory(), managers.getTrustManagerFactory());
    }
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /**
   * @return what lets {@code ${...}} in annotation attributes read the Environment
   */
  @Bean
  public static EnvironmentProperties weftEnvironmentProperties() {
    return new EnvironmentProperties();
  }

  /**
   * @param weft the runtime
   * @return what makes it the runtime of woven methods while the context is open
   */
  @Bean
  public InstalledRuntime weftInstalledRuntime(ObjectProvider<Weft> weft) {
    return new InstalledRuntime(weft.getIfUnique());
  }

  /**
   * @param beans the context's beans
   * @return what starts the beans' {@code @Subscribe} and {@code @StreamListener} methods with
   *     the context and stops them before the runtime closes
   */
  @Bean
  @ConditionalOnProperty(prefix = "weft.listeners", name = "enabled", matchIfMissing = true)
  public WeftListeners weftListeners(ConfigurableListableBeanFactory beans) {
    return new WeftListeners(beans);
  }

  /** Micrometer's part, loaded only when Micrometer is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class Meters {

    /**
     * @param registry the application's meter registry, if it has one
     * @return what gives the runtime's meters to that registry rather than Micrometer's global
     *     one
     */
    @Bean
    WeftBuilderCustomizer weftMeterRegistry(ObjectProvider<MeterRegistry> registry) {
      return builder -> {
        MeterRegistry r = registry.getIfUnique();
        if (r == null) {
          return;
        }
        try {
          builder.meterRegistry(r);
        } catch (LinkageError e) {
          // Weft's classes are the agent's, loaded where the application's Micrometer is not.
          LoggerFactory.getLogger(WeftAutoConfiguration.class).warn(
              "Weft's runtime comes from the Weft agent, which cannot see the application's"
                  + " Micrometer: its meters are not published ({})", e.toString());
        }
      };
    }
  }
}
