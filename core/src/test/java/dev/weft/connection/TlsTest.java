package dev.weft.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.WeftHealth;
import dev.weft.outage.LogCapture;
import dev.weft.test.TestCertificates;
import dev.weft.test.TlsRedisServer;
import dev.weft.test.TlsRedisServer.ClientAuth;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * {@code rediss://} against a TLS-only redis-server with its own CA: certificate and host name
 * verification, trust from a PEM file, a PKCS#12 store or a ready-made factory, and mutual TLS.
 */
@Tag("redis")
class TlsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private static TlsRedisServer open;
  private static TlsRedisServer mutual;
  /** Why this redis-server cannot run TLS, reported as each test's skip reason; else null. */
  private static String noTls;

  @BeforeAll
  static void start() {
    try {
      open = TlsRedisServer.start(ClientAuth.NONE);
      mutual = TlsRedisServer.start(ClientAuth.REQUIRED);
    } catch (TestAbortedException e) {
      noTls = e.getMessage();
    }
  }

  @BeforeEach
  void requireTls() {
    Assumptions.assumeTrue(noTls == null, () -> noTls);
  }

  @AfterAll
  static void stop() {
    if (open != null) {
      open.close();
    }
    if (mutual != null) {
      mutual.close();
    }
  }

  @Test
  void cachedValue_roundTripsOverTls_trustingTheCaFromAPemFile() {
    try (Weft weft = builder(open).trustStore(open.certificates().caCertificate()).build()) {
      AtomicInteger loads = new AtomicInteger();

      String first = weft.cached("tls:greeting", Duration.ofMinutes(1), String.class,
          () -> "hello " + loads.incrementAndGet());
      String second = weft.cached("tls:greeting", Duration.ofMinutes(1), String.class,
          () -> "hello " + loads.incrementAndGet());

      assertThat(first).isEqualTo("hello 1");
      assertThat(second).isEqualTo("hello 1");
      assertThat(loads).hasValue(1);
      assertThat(open.call("GET", "tls:greeting")).isEqualTo("\"hello 1\"");
    }
  }

  @Test
  void trustStore_pkcs12WithPassword_connects_andIpAddressMatchesTheCertificate() {
    TestCertificates certificates = open.certificates();
    try (Weft weft =
        Weft.builder()
            .redisUrl("rediss://127.0.0.1:" + open.port())
            .commandTimeout(TIMEOUT)
            .trustStore(certificates.trustStore(), certificates.trustStorePassword())
            .build()) {
      assertThat(weft.health().up()).as(weft.health().toString()).isTrue();
    }
  }

  @Test
  void trustStore_fromSystemProperties_isUsedWhenTheBuilderNamesNone() {
    TestCertificates certificates = open.certificates();
    System.setProperty("weft.redis.truststore", certificates.trustStore().toString());
    System.setProperty("weft.redis.truststore.password", certificates.trustStorePassword());
    try (Weft weft = builder(open).build()) {
      assertThat(weft.health().up()).as(weft.health().toString()).isTrue();
    } finally {
      System.clearProperty("weft.redis.truststore");
      System.clearProperty("weft.redis.truststore.password");
    }
  }

  @Test
  void withoutTheCa_callsFailOpen_andTheErrorNamesTheTrustStoreSetting() {
    try (LogCapture logs = LogCapture.start();
        Weft weft = builder(open).build()) {
      AtomicInteger loads = new AtomicInteger();

      WeftHealth health = weft.health();
      String value = weft.cached("tls:untrusted", Duration.ofMinutes(1), String.class,
          () -> "loaded " + loads.incrementAndGet());

      assertThat(health.up()).isFalse();
      assertThat(health.problem())
          .contains("not trusted")
          .contains("WEFT_REDIS_TRUSTSTORE")
          .contains("trustStore(");
      assertThat(value).isEqualTo("loaded 1");
      assertNoSecret(logs.lines(), health.problem());
    }
  }

  @Test
  void hostNameMissingFromTheCertificate_isRefused_evenWithTheCaTrusted() {
    try (TlsRedisServer elsewhere =
            TlsRedisServer.start(ClientAuth.NONE, List.of("redis.example.com"));
        Weft weft =
            builder(elsewhere).trustStore(elsewhere.certificates().caCertificate()).build()) {
      WeftHealth health = weft.health();

      assertThat(health.up()).isFalse();
      assertThat(health.problem()).contains("host name");
    }
  }

  @Test
  void mutualTls_withAClientKeyStore_connects_andNoPasswordIsLoggedOrShown() {
    TestCertificates certificates = mutual.certificates();
    try (LogCapture logs = LogCapture.start();
        Weft weft =
            builder(mutual)
                .trustStore(certificates.trustStore(), certificates.trustStorePassword())
                .keyStore(certificates.clientKeyStore(), certificates.clientKeyStorePassword())
                .build()) {
      AtomicInteger loads = new AtomicInteger();

      weft.cached("mtls:a", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);
      Integer again =
          weft.cached("mtls:a", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);

      assertThat(again).isEqualTo(1);
      assertThat(mutual.call("GET", "mtls:a")).isEqualTo("1");
      assertNoSecret(logs.lines(), weft.health().toString(), weft.redisUrl());
    }
  }

  @Test
  void mutualTls_withPemCertificateAndKey_connects() {
    TestCertificates certificates = mutual.certificates();
    try (Weft weft =
        builder(mutual)
            .trustStore(certificates.caCertificate())
            .clientCertificate(certificates.clientCertificate(), certificates.clientKey())
            .build()) {
      assertThat(weft.health().up()).as(weft.health().toString()).isTrue();
    }
  }

  @Test
  void mutualTls_withoutAClientCertificate_isRefused_andTheErrorNamesTheKeyStoreSetting() {
    try (Weft weft = builder(mutual).trustStore(mutual.certificates().caCertificate()).build()) {
      WeftHealth health = weft.health();

      assertThat(health.up()).isFalse();
      assertThat(health.problem()).contains("client certificate").contains("WEFT_REDIS_KEYSTORE");
    }
  }

  @Test
  void tls_withATrustManagerFactoryOfTheCa_connects_andWithoutOneIsRefused() throws Exception {
    TestCertificates certificates = open.certificates();
    TrustManagerFactory trust = trustManagers(certificates);

    try (Weft trusting = builder(open).tls(null, trust).build();
        Weft untrusting = builder(open).build()) {
      assertThat(trusting.health().up()).as(trusting.health().toString()).isTrue();
      assertThat(trusting.cached("tls:factories", Duration.ofMinutes(1), String.class, () -> "ok"))
          .isEqualTo("ok");
      assertThat(open.call("GET", "tls:factories")).isEqualTo("\"ok\"");

      WeftHealth refused = untrusting.health();
      assertThat(refused.up()).isFalse();
      assertThat(refused.problem()).contains("not trusted");
    }
  }

  @Test
  void tls_withAKeyManagerFactory_doesMutualTls_whichAPlainTrustAloneCannot() throws Exception {
    TestCertificates certificates = mutual.certificates();
    KeyStore clientStore = KeyStore.getInstance("PKCS12");
    char[] password = certificates.clientKeyStorePassword().toCharArray();
    try (InputStream in = Files.newInputStream(certificates.clientKeyStore())) {
      clientStore.load(in, password);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(clientStore, password);
    TrustManagerFactory trust = trustManagers(certificates);

    try (Weft withKeys = builder(mutual).tls(keys, trust).build();
        Weft withoutKeys = builder(mutual).tls(null, trust).build()) {
      assertThat(withKeys.health().up()).as(withKeys.health().toString()).isTrue();
      assertThat(withoutKeys.health().up()).isFalse();
      assertThat(withoutKeys.health().problem()).contains("client certificate");
    }
  }

  private static TrustManagerFactory trustManagers(TestCertificates certificates)
      throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certificates.trustStore())) {
      store.load(in, certificates.trustStorePassword().toCharArray());
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    return trust;
  }

  private static Weft.Builder builder(TlsRedisServer server) {
    return Weft.builder().redisUrl(server.url()).commandTimeout(TIMEOUT);
  }

  private static void assertNoSecret(List<String> logLines, String... messages) {
    for (TlsRedisServer server : List.of(open, mutual)) {
      for (String secret :
          List.of(
              server.certificates().trustStorePassword(),
              server.certificates().clientKeyStorePassword())) {
        assertThat(logLines).noneMatch(line -> line.contains(secret));
        assertThat(messages).noneMatch(message -> message != null && message.contains(secret));
      }
    }
  }
}
