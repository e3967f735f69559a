package dev.weft.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.TlsRedisServer;
import dev.weft.test.TlsRedisServer.ClientAuth;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** spring.data.redis.ssl.bundle: the runtime trusts (and shows) what the SSL bundle holds. */
@Tag("redis")
class SslBundleTest {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  private static TlsRedisServer mutual;
  private static String noTls;

  @BeforeAll
  static void start() {
    try {
      mutual = TlsRedisServer.start(ClientAuth.REQUIRED);
    } catch (TestAbortedException e) {
      noTls = e.getMessage();
    }
  }

  @AfterAll
  static void stop() {
    if (mutual != null) {
      mutual.close();
    }
  }

  @BeforeEach
  void requireTls() {
    Assumptions.assumeTrue(noTls == null, () -> noTls);
  }

  private static ConfigurableApplicationContext run(String... properties) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties(properties)
        .run();
  }

  @Test
  void pemBundleWithClientCertificate_connectsToAMutualTlsServer() {
    var certificates = mutual.certificates();
    try (ConfigurableApplicationContext context =
        run(
            "spring.data.redis.host=localhost",
            "spring.data.redis.port=" + mutual.port(),
            "spring.data.redis.ssl.bundle=redis",
            "spring.ssl.bundle.pem.redis.truststore.certificate=file:" + certificates.caCertificate(),
            "spring.ssl.bundle.pem.redis.keystore.certificate=file:" + certificates.clientCertificate(),
            "spring.ssl.bundle.pem.redis.keystore.private-key=file:" + certificates.clientKey())) {
      Weft weft = context.getBean(Weft.class);
      String value = weft.cached("tls:bundle", Duration.ofMinutes(1), String.class, () -> "over tls");
      assertThat(value).isEqualTo("over tls");
      assertThat(mutual.call("GET", "tls:bundle")).isEqualTo("\"over tls\"");
      assertThat(weft.redisUrl()).startsWith("rediss://");
    }
  }

  @Test
  void sslEnabledWithoutTheServersCa_isDown_andSaysSo() {
    try (ConfigurableApplicationContext context =
        run(
            "spring.data.redis.host=localhost",
            "spring.data.redis.port=" + mutual.port(),
            "spring.data.redis.ssl.enabled=true",
            "weft.connect-timeout=2s")) {
      Weft weft = context.getBean(Weft.class);
      assertThat(weft.health().up()).isFalse();
    }
  }
}
