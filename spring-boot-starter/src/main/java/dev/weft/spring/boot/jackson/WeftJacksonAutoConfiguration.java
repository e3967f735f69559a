package dev.weft.spring.boot.jackson;

import dev.weft.codec.ValueCodec;
import dev.weft.spring.boot.WeftAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's Jackson mapper as the {@link ValueCodec} of the Weft runtime bean: Jackson 3's
 * {@code JsonMapper} on Spring Boot 4 ({@link Jackson3ValueCodec}), Jackson 2's {@code
 * ObjectMapper} on Spring Boot 3 ({@link Jackson2ValueCodec}), so cached values, queue items and
 * messages are written with the application's modules, serializers and naming ({@code
 * spring.jackson.*}). An application's own {@code ValueCodec} bean replaces it; {@code
 * weft.jackson.enabled=false} keeps Weft's own JSON.
 *
 * <h2>Design</h2>
 *
 * The codecs are written against {@link ValueCodec}, whose types are the JDK's, rather than
 * against {@code Weft.Builder.objectMapper}, whose parameter is Weft's Jackson 2: under the Weft
 * agent the runtime may be the agent's copy of Weft, with a relocated Jackson, while the mapper
 * bean is the application's. Each mapper class is named only in a configuration guarded by its
 * presence, so the starter loads on either Boot line whichever Jackson the application has. When
 * an application has both, Jackson 3 wins: it is what Boot 4 configures from {@code
 * spring.jackson.*}; a Jackson 2 mapper beside it is a library's leftover.
 */
@AutoConfiguration(
    before = WeftAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
      "org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration"
    })
@ConditionalOnProperty(prefix = "weft.jackson", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(WeftJacksonProperties.class)
public class WeftJacksonAutoConfiguration {

  private static final String JACKSON3 = "tools.jackson.databind.ObjectMapper";
  private static final String JACKSON2 = "com.fasterxml.jackson.databind.ObjectMapper";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = JACKSON3)
  @ConditionalOnSingleCandidate(type = JACKSON3)
  static class Jackson3Codec {

    @Bean
    @ConditionalOnMissingBean(ValueCodec.class)
    ValueCodec weftValueCodec(tools.jackson.databind.ObjectMapper mapper) {
      return new Jackson3ValueCodec(mapper);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = JACKSON2)
  @ConditionalOnSingleCandidate(type = JACKSON2)
  @ConditionalOnMissingBean(type = JACKSON3)
  static class Jackson2Codec {

    @Bean
    @ConditionalOnMissingBean(ValueCodec.class)
    ValueCodec weftValueCodec(com.fasterxml.jackson.databind.ObjectMapper mapper) {
      return new Jackson2ValueCodec(mapper);
    }
  }
}
