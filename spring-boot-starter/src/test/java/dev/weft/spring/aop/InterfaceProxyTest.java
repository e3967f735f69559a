package dev.weft.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.Cached;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A bean proxied through its interface (a JDK proxy, {@code spring.aop.proxy-target-class=false}):
 * the call names the interface's method, the annotation is on the class's, and it applies.
 */
@WeftRedis
class InterfaceProxyTest {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(CachedGreetings.class)
  static class App {}

  interface Greetings {
    String greet(String name);
  }

  static class CachedGreetings implements Greetings {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    @Cached(key = "greeting:{name}", ttl = "10m")
    public String greet(String name) {
      runs.incrementAndGet();
      return "hello " + name;
    }
  }

  @Test
  void jdkProxy_annotationOnTheImplementation_applies(RedisServer server) throws Exception {
    RedisClient client = RedisClient.create(server.url());
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties("spring.data.redis.host=" + server.host(),
                "spring.data.redis.port=" + server.port(), "spring.aop.proxy-target-class=false")
            .run();
        StatefulRedisConnection<String, String> connection = client.connect()) {
      Greetings greetings = context.getBean(Greetings.class);
      assertThat(AopUtils.isJdkDynamicProxy(greetings)).isTrue();
      CachedGreetings target =
          (CachedGreetings) ((Advised) greetings).getTargetSource().getTarget();

      assertThat(greetings.greet("ann")).isEqualTo("hello ann");
      assertThat(greetings.greet("ann")).isEqualTo("hello ann");

      assertThat(target.runs).hasValue(1);
      assertThat(connection.sync().get("greeting:ann")).isEqualTo("\"hello ann\"");
    } finally {
      client.shutdown();
    }
  }
}
