package dev.weft.spring.boot;

import dev.weft.Weft;
import dev.weft.codec.ValueCodec;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
   * @param codec how values are written, when the context has one (the application's Jackson)
   * @return the runtime, installed for woven methods until the context closes
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Weft weft(
      WeftProperties properties, Environment environment, ObjectProvider<ValueCodec> codec) {
    Weft.Builder builder = RuntimeSettings.from(properties, environment);
    codec.ifUnique(builder::codec);
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
}
