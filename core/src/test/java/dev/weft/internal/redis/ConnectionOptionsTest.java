package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.exception.WeftConfigurationException;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionOptionsTest {

  @TempDir Path dir;

  @Test
  void resolve_environmentWinsOverSystemProperties() throws IOException {
    Path fromEnv = Files.writeString(dir.resolve("env.pem"), "-----BEGIN CERTIFICATE-----\n");
    Path fromProperty = Files.writeString(dir.resolve("prop.pem"), "-----BEGIN CERTIFICATE-----\n");
    Map<String, String> properties =
        Map.of(
            "weft.redis.truststore", fromProperty.toString(),
            "weft.redis.read-cache-from-replicas", "true");

    ConnectionOptions options =
        ConnectionOptions.resolve(
            Map.of("WEFT_REDIS_TRUSTSTORE", fromEnv.toString()), properties::get);

    assertThat(options.trustStore()).isEqualTo(fromEnv);
    assertThat(options.readCacheFromReplicas()).isTrue();
    assertThat(options.credentials()).isNull();
  }

  @Test
  void resolve_nothingSet_isNone() {
    ConnectionOptions options = ConnectionOptions.resolve(Map.of(), name -> null);

    assertThat(options).isEqualTo(ConnectionOptions.none());
    assertThat(options.hasTlsMaterial()).isFalse();
  }

  @Test
  void resolve_replicaSettingNeitherTrueNorFalse_isAConfigurationError() {
    assertThatThrownBy(
            () ->
                ConnectionOptions.resolve(
                    Map.of("WEFT_REDIS_READ_CACHE_FROM_REPLICAS", "yes"), name -> null))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("WEFT_REDIS_READ_CACHE_FROM_REPLICAS");
  }

  @Test
  void check_clientCertificateWithoutKey_namesBothSettings() throws IOException {
    Path cert = Files.writeString(dir.resolve("client.crt"), "x");

    assertThatThrownBy(
            () -> ConnectionOptions.resolve(Map.of("WEFT_REDIS_CLIENT_CERT", cert.toString()),
                name -> null))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("WEFT_REDIS_CLIENT_CERT")
        .hasMessageContaining("WEFT_REDIS_CLIENT_KEY");
  }

  @Test
  void check_missingFile_isNamed() {
    Path missing = dir.resolve("nowhere.p12");

    assertThatThrownBy(
            () -> ConnectionOptions.resolve(Map.of("WEFT_REDIS_TRUSTSTORE", missing.toString()),
                name -> null))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void toString_neverShowsAPassword() {
    ConnectionOptions options =
        new ConnectionOptions(
            dir.resolve("t.p12"), "trust-pw-1", dir.resolve("k.p12"), "key-pw-2", null, null,
            null, false);

    assertThat(options.toString()).doesNotContain("trust-pw-1").doesNotContain("key-pw-2")
        .contains("password set");
  }

  @Test
  void uri_tls_verifiesChainAndHostName_unlessTheUrlSaysOtherwise() {
    RedisURI tls = RedisUrls.uri("rediss://cache:6380", Duration.ofSeconds(1), ConnectionOptions.none());
    RedisURI relaxed =
        RedisUrls.uri("rediss://cache:6380?verifyPeer=NONE", Duration.ofSeconds(1),
            ConnectionOptions.none());

    assertThat(tls.getVerifyMode()).isEqualTo(SslVerifyMode.FULL);
    assertThat(tls.getTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(relaxed.getVerifyMode()).isEqualTo(SslVerifyMode.NONE);
  }

  @Test
  void uri_withACredentialsProvider_usesIt_forSentinelUrlsToo() {
    RedisCredentialsProvider provider =
        RedisCredentialsProvider.from(() -> RedisCredentials.just("app", "pw"));
    ConnectionOptions options =
        new ConnectionOptions(null, null, null, null, null, null, provider, false);

    RedisURI sentinel =
        RedisUrls.uri("redis-sentinel://127.0.0.1:26379,127.0.0.1:26380/0#mymaster",
            Duration.ofSeconds(1), options);

    assertThat(sentinel.getCredentialsProvider()).isSameAs(provider);
    assertThat(sentinel.getSentinels()).hasSize(2);
    assertThat(RedisUrls.isSentinel("redis-sentinel://h:1#m")).isTrue();
  }
}
