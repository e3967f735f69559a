package dev.weft.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.lock.LockLease;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A request in flight when the application shuts down gracefully still has Redis: the runtime
 * closes only after the web server has drained, and its lock is released.
 */
@WeftRedis
class GracefulShutdownTest {

  static final CountDownLatch started = new CountDownLatch(1);
  static final CountDownLatch finish = new CountDownLatch(1);
  static final CountDownLatch closing = new CountDownLatch(1);

  @RestController
  static class Jobs {
    private final Weft weft;

    Jobs(Weft weft) {
      this.weft = weft;
    }

    @GetMapping("/job")
    String job() throws InterruptedException {
      try (LockLease lease = weft.lock("graceful:job").acquire(Duration.ofSeconds(1))) {
        started.countDown();
        if (!finish.await(30, TimeUnit.SECONDS)) {
          return "never told to finish";
        }
        return weft.cached("graceful:result", Duration.ofMinutes(1), String.class, () -> "done");
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Jobs.class)
  static class App {
    @Bean
    ApplicationListener<ContextClosedEvent> closingSignal() {
      return event -> closing.countDown();
    }
  }

  @Test
  void requestInFlightAtShutdown_finishesWithRedis_andItsLockIsReleased(RedisServer server)
      throws Exception {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .properties(
                "spring.data.redis.url=" + server.url(),
                "server.port=0",
                "server.shutdown=graceful")
            .run();
    int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    HttpClient http = HttpClient.newHttpClient();
    CompletableFuture<HttpResponse<String>> response =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/job")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(started.await(10, TimeUnit.SECONDS)).as("the request started").isTrue();

    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(context::close);
    assertThat(closing.await(10, TimeUnit.SECONDS)).as("the shutdown started").isTrue();
    finish.countDown();

    HttpResponse<String> answer = response.get(20, TimeUnit.SECONDS);
    shutdown.get(20, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("done");
    RedisClient client = RedisClient.create(server.url());
    try {
      var redis = client.connect().sync();
      assertThat(redis.get("graceful:result")).isEqualTo("\"done\"");
      assertThat(redis.exists("weft:lock:{graceful:job}")).isZero();
    } finally {
      client.shutdown();
    }
  }
}
