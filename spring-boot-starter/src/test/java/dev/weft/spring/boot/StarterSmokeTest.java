package dev.weft.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.ConfigurableApplicationContext;

@WeftRedis
class StarterSmokeTest {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Test
  void context_withSpringDataRedisHostAndPort_hasAWorkingRuntime(RedisServer redis) {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port())
            .run()) {
      Weft weft = context.getBean(Weft.class);
      Await.until(Duration.ofSeconds(30), () -> "the runtime answers, last: " + weft.health(),
          () -> weft.health().up());
      assertThat(Weft.global()).isSameAs(weft);
    }
  }
}
