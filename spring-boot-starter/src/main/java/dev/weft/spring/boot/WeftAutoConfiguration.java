package dev.weft.spring.boot;

import dev.weft.Weft;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
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
   * @param customizers the application's and the starter's changes to the builder
   * @return the runtime, installed for woven methods until the context closes
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Weft weft(
      WeftProperties properties, Environment environment,
      ObjectProvider<WeftBuilderCustomizer> customizers) {
    Weft.Builder builder = RuntimeSettings.from(properties, environment);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /**
   * @param weft the runtime
   * @return what makes it the runtime of woven methods while the context is open
   */
  @Bean
  public InstalledRuntime weftInstalledRuntime(Weft weft) {
    return new InstalledRuntime(weft);
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
}
