package dev.weft.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.annotation.StreamListener;
import dev.weft.annotation.Subscribe;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/** @Subscribe and @StreamListener methods of beans run while the context runs, and only then. */
@WeftRedis
class ListenerBeansTest {

  record Price(String sku, long cents) {}

  static class Prices {
    final List<Price> received = new CopyOnWriteArrayList<>();

    @Subscribe(channel = "prices")
    void onPrice(Price price) {
      received.add(price);
    }
  }

  /** Class-proxied by @EnableAsync: its listener must still be found and reached. */
  static class Orders {
    final List<String> handled = new CopyOnWriteArrayList<>();

    @StreamListener(stream = "orders", group = "billing")
    public void onOrder(Map<String, Object> order) {
      handled.add(String.valueOf(order.get("id")));
    }

    @Async
    public void unrelated() {}
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableAsync(proxyTargetClass = true)
  static class App {
    @Bean
    Prices prices() {
      return new Prices();
    }

    @Bean
    Orders orders() {
      return new Orders();
    }
  }

  @Test
  void listenerMethodsOfBeans_receiveWhileTheContextRuns_andUnsubscribeWhenItCloses(
      RedisServer server) {
    RedisClient client = RedisClient.create(server.url());
    try {
      RedisCommands<String, String> redis = client.connect().sync();
      Prices prices;
      Orders orders;
      try (ConfigurableApplicationContext context =
          new SpringApplicationBuilder(App.class)
              .web(WebApplicationType.NONE)
              .properties("spring.data.redis.url=" + server.url())
              .run()) {
        prices = context.getBean(Prices.class);
        Orders proxied = context.getBean(Orders.class);
        assertThat(AopUtils.isCglibProxy(proxied)).isTrue();
        orders = (Orders) AopProxyUtils.getSingletonTarget(proxied);
        Weft weft = context.getBean(Weft.class);

        Await.until(
            Duration.ofSeconds(10), () -> "the prices channel to be subscribed",
            () -> redis.pubsubNumsub("prices").get("prices") == 1L);
        weft.publisher().publish("prices", new Price("A-1", 250));
        Await.until(Duration.ofSeconds(10), () -> "the price to arrive", () -> !prices.received.isEmpty());
        assertThat(prices.received).containsExactly(new Price("A-1", 250));

        weft.streamProducer("orders", Map.class).add(Map.of("id", "o-1"));
        Await.until(Duration.ofSeconds(10), () -> "the order to be handled",
            () -> orders.handled.contains("o-1"));
      }
      assertThat(redis.pubsubNumsub("prices").get("prices")).isZero();
    } finally {
      client.shutdown();
    }
  }
}
