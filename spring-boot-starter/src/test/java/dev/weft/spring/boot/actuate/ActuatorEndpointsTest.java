package dev.weft.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /actuator/health} and {@code /actuator/info} of a web application with the starter, called
 * over HTTP while its Redis runs, is stopped and runs again.
 */
@WeftRedis
class ActuatorEndpointsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  record Reply(int status, JsonNode body) {}

  @AfterEach
  void redisRuns(RedisServer redis) {
    if (!redis.isRunning()) {
      redis.start();
    }
  }

  private static ConfigurableApplicationContext start(RedisServer redis, String... properties) {
    return new SpringApplicationBuilder(App.class)
        .properties(
            "server.port=0",
            "spring.data.redis.url=redis://:s3cret-pass@" + redis.host() + ":" + redis.port(),
            "weft.key-prefix=shop",
            "weft.name=actuated",
            "weft.command-timeout=2s",
            "management.endpoints.web.exposure.include=health,info",
            "management.endpoint.health.show-details=always")
        .properties(properties)
        .run();
  }

  private Reply get(ConfigurableApplicationContext context, String path) {
    String port = context.getEnvironment().getRequiredProperty("local.server.port");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void health_followsRedis_upThenDownWhileStoppedThenUpAgain(RedisServer redis) {
    redis.flushAll();
    try (ConfigurableApplicationContext context = start(redis, "spring.data.redis.url=" + redis.url())) {
      Await.until(WAIT, () -> "health UP, last: " + get(context, "/actuator/health"),
          () -> get(context, "/actuator/health").status() == 200);
      Reply up = get(context, "/actuator/health");
      JsonNode weft = up.body().path("components").path("weft");
      assertThat(weft.path("status").asText()).isEqualTo("UP");
      assertThat(weft.path("details").path("circuit").asText()).isEqualTo("CLOSED");
      assertThat(weft.path("details").path("roundTripMs").isNumber()).isTrue();
      assertThat(weft.path("details").path("redis").asText()).isEqualTo(redis.url());

      redis.stop();

      Await.until(WAIT, () -> "health DOWN with 503, last: " + get(context, "/actuator/health"),
          () -> {
            Reply reply = get(context, "/actuator/health");
            return reply.status() == 503
                && reply.body().path("components").path("weft").path("status").asText()
                    .equals("DOWN");
          });
      JsonNode down = get(context, "/actuator/health").body().path("components").path("weft");
      assertThat(down.path("details").path("problem").asText()).isNotBlank();
      assertThat(down.path("details").has("roundTripMs")).isFalse();

      redis.start();

      Await.until(WAIT, () -> "health UP again, last: " + get(context, "/actuator/health"),
          () -> get(context, "/actuator/health").status() == 200);
      assertThat(get(context, "/actuator/health").body().path("components").path("weft")
          .path("status").asText()).isEqualTo("UP");
    }
  }

  @Test
  void health_withAPasswordInTheUrl_neverShowsIt(RedisServer redis) {
    try (ConfigurableApplicationContext context = start(redis)) {
      Reply reply = get(context, "/actuator/health");

      JsonNode weft = reply.body().path("components").path("weft");
      assertThat(weft.path("details").path("redis").asText()).doesNotContain("s3cret-pass");
      assertThat(reply.body().toString()).doesNotContain("s3cret-pass");
    }
  }

  @Test
  void info_hasRedisVersionModePrefixAndName(RedisServer redis) {
    try (ConfigurableApplicationContext context = start(redis, "spring.data.redis.url=" + redis.url())) {
      Reply reply = get(context, "/actuator/info");

      assertThat(reply.status()).isEqualTo(200);
      JsonNode weft = reply.body().path("weft");
      assertThat(weft.path("redisVersion").asText()).matches("\\d+\\.\\d+\\.\\d+");
      assertThat(weft.path("mode").asText()).isEqualTo("standalone");
      assertThat(weft.path("keyPrefix").asText()).isEqualTo("shop:");
      assertThat(weft.path("name").asText()).isEqualTo("actuated");
    }
  }

  @Test
  void healthIndicator_disabledByManagementProperty_isAbsent(RedisServer redis) {
    try (ConfigurableApplicationContext context =
        start(redis, "spring.data.redis.url=" + redis.url(), "management.health.weft.enabled=false",
            "management.info.weft.enabled=false")) {
      assertThat(get(context, "/actuator/health").body().path("components").has("weft")).isFalse();
      assertThat(get(context, "/actuator/info").body().has("weft")).isFalse();
    }
  }
}
