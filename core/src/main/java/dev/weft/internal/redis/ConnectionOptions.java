package dev.weft.internal.redis;

import dev.weft.exception.WeftConfigurationException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.SslOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * How every connection of a runtime authenticates and encrypts, beyond what its URL says: the
 * certificates to trust, the client certificate for mutual TLS, a credentials provider that is
 * asked at every (re)connect, and whether cache reads may go to replicas. One value per runtime,
 * applied to every client it builds ({@link #applyTo}) and every URI ({@link RedisUrls#uri}).
 *
 * <h2>Design</h2>
 *
 * <b>Where settings come from.</b> The builder's value wins; otherwise each setting is read from
 * an environment variable, else a system property, in the order {@link RedisUrls} and {@link
 * RedisTimeouts} use: {@value #TRUSTSTORE_ENV} / {@value #TRUSTSTORE_PROPERTY} (a PEM file of CA
 * certificates, or a JKS or PKCS#12 trust store), {@value #TRUSTSTORE_PASSWORD_ENV} / {@value
 * #TRUSTSTORE_PASSWORD_PROPERTY}, {@value #KEYSTORE_ENV} / {@value #KEYSTORE_PROPERTY} (a JKS or
 * PKCS#12 key store with the client's key and certificate), {@value #KEYSTORE_PASSWORD_ENV} /
 * {@value #KEYSTORE_PASSWORD_PROPERTY}, or instead of a key store the PEM pair {@value
 * #CLIENT_CERT_ENV} / {@value #CLIENT_CERT_PROPERTY} and {@value #CLIENT_KEY_ENV} / {@value
 * #CLIENT_KEY_PROPERTY} (certificate chain, and an unencrypted PKCS#8 key), and {@value
 * #REPLICA_READS_ENV} / {@value #REPLICA_READS_PROPERTY} ({@code true} or {@code false}).
 *
 * <p><b>Verification.</b> A {@code rediss://} connection verifies the server's certificate chain
 * and its host name ({@code SslVerifyMode.FULL}; see {@link RedisUrls#uri}). Without a trust
 * store the JVM's default trust applies, which is what a managed Redis with a public CA needs; a
 * private CA is given as a PEM file or a store. A PEM file is told from a store by its content
 * ({@code -----BEGIN}), so the file's name does not matter. Ready-made key and trust manager
 * factories (what a Spring SSL bundle holds) take the place of the files of their side.
 *
 * <p><b>Secrets.</b> Passwords are kept as given and handed to Lettuce only; {@link #toString()}
 * and every message of this class name files and variables, never a password.
 *
 * @param trustStore a PEM CA file or a JKS/PKCS#12 trust store, or {@code null} for the JVM's
 * @param trustStorePassword the trust store's password, or {@code null} (none, or PEM)
 * @param keyStore a JKS/PKCS#12 key store with the client certificate, or {@code null}
 * @param keyStorePassword the key store's (and its key's) password, or {@code null}
 * @param clientCertificate a PEM client certificate chain (with {@code clientKey}), or {@code null}
 * @param clientKey the PEM (PKCS#8, unencrypted) key of {@code clientCertificate}, or {@code null}
 * @param credentials asked for user and password at every connect and reconnect, or {@code null}
 *     to use the URL's
 * @param readCacheFromReplicas whether plain cache reads may be served by replicas
 * @param keyManagers the client's keys for mutual TLS, ready made (a Spring SSL bundle's), or
 *     {@code null}; used instead of {@code keyStore} and {@code clientCertificate}
 * @param trustManagers what to trust, ready made, or {@code null}; used instead of {@code
 *     trustStore}
 */
public record ConnectionOptions(
    Path trustStore,
    String trustStorePassword,
    Path keyStore,
    String keyStorePassword,
    Path clientCertificate,
    Path clientKey,
    RedisCredentialsProvider credentials,
    boolean readCacheFromReplicas,
    KeyManagerFactory keyManagers,
    TrustManagerFactory trustManagers) {

  /** Options without ready-made key or trust managers. */
  public ConnectionOptions(
      Path trustStore, String trustStorePassword, Path keyStore, String keyStorePassword,
      Path clientCertificate, Path clientKey, RedisCredentialsProvider credentials,
      boolean readCacheFromReplicas) {
    this(trustStore, trustStorePassword, keyStore, keyStorePassword, clientCertificate, clientKey,
        credentials, readCacheFromReplicas, null, null);
  }

  /** The environment variable naming the trust store or PEM CA file. */
  public static final String TRUSTSTORE_ENV = "WEFT_REDIS_TRUSTSTORE";
  /** The system property naming the trust store or PEM CA file. */
  public static final String TRUSTSTORE_PROPERTY = "weft.redis.truststore";
  /** The environment variable holding the trust store's password. */
  public static final String TRUSTSTORE_PASSWORD_ENV = "WEFT_REDIS_TRUSTSTORE_PASSWORD";
  /** The system property holding the trust store's password. */
  public static final String TRUSTSTORE_PASSWORD_PROPERTY = "weft.redis.truststore.password";
  /** The environment variable naming the client key store (mutual TLS). */
  public static final String KEYSTORE_ENV = "WEFT_REDIS_KEYSTORE";
  /** The system property naming the client key store (mutual TLS). */
  public static final String KEYSTORE_PROPERTY = "weft.redis.keystore";
  /** The environment variable holding the key store's password. */
  public static final String KEYSTORE_PASSWORD_ENV = "WEFT_REDIS_KEYSTORE_PASSWORD";
  /** The system property holding the key store's password. */
  public static final String KEYSTORE_PASSWORD_PROPERTY = "weft.redis.keystore.password";
  /** The environment variable naming the PEM client certificate chain (mutual TLS). */
  public static final String CLIENT_CERT_ENV = "WEFT_REDIS_CLIENT_CERT";
  /** The system property naming the PEM client certificate chain (mutual TLS). */
  public static final String CLIENT_CERT_PROPERTY = "weft.redis.client.cert";
  /** The environment variable naming the PEM client key (mutual TLS). */
  public static final String CLIENT_KEY_ENV = "WEFT_REDIS_CLIENT_KEY";
  /** The system property naming the PEM client key (mutual TLS). */
  public static final String CLIENT_KEY_PROPERTY = "weft.redis.client.key";
  /** The environment variable that lets cache reads go to replicas. */
  public static final String REPLICA_READS_ENV = "WEFT_REDIS_READ_CACHE_FROM_REPLICAS";
  /** The system property that lets cache reads go to replicas. */
  public static final String REPLICA_READS_PROPERTY = "weft.redis.read-cache-from-replicas";

  private static final ConnectionOptions NONE =
      new ConnectionOptions(null, null, null, null, null, null, null, false);

  /** @return no TLS material, the URL's credentials, every read on the master */
  public static ConnectionOptions none() {
    return NONE;
  }

  /**
   * Reads the settings described under Design.
   *
   * @param env the environment, usually {@link System#getenv()}, not {@code null}
   * @param properties looks a system property up, usually {@link System#getProperty(String)}
   * @return the settings found; no credentials provider (that is only given in code)
   * @throws WeftConfigurationException if the replica setting is neither true nor false, or only
   *     one of the client certificate and its key is given
   */
  public static ConnectionOptions resolve(
      Map<String, String> env, UnaryOperator<String> properties) {
    String replicas = setting(env, properties, REPLICA_READS_ENV, REPLICA_READS_PROPERTY);
    boolean readFromReplicas = false;
    if (replicas != null) {
      if (!replicas.equalsIgnoreCase("true") && !replicas.equalsIgnoreCase("false")) {
        throw new WeftConfigurationException(
            REPLICA_READS_ENV + " / " + REPLICA_READS_PROPERTY + " must be true or false, was '"
                + replicas + "'");
      }
      readFromReplicas = Boolean.parseBoolean(replicas);
    }
    ConnectionOptions options =
        new ConnectionOptions(
            path(setting(env, properties, TRUSTSTORE_ENV, TRUSTSTORE_PROPERTY)),
            setting(env, properties, TRUSTSTORE_PASSWORD_ENV, TRUSTSTORE_PASSWORD_PROPERTY),
            path(setting(env, properties, KEYSTORE_ENV, KEYSTORE_PROPERTY)),
            setting(env, properties, KEYSTORE_PASSWORD_ENV, KEYSTORE_PASSWORD_PROPERTY),
            path(setting(env, properties, CLIENT_CERT_ENV, CLIENT_CERT_PROPERTY)),
            path(setting(env, properties, CLIENT_KEY_ENV, CLIENT_KEY_PROPERTY)),
            null,
            readFromReplicas);
    options.check();
    return options;
  }

  /** @return the settings of this process's environment and system properties */
  public static ConnectionOptions fromEnvironment() {
    return resolve(System.getenv(), System::getProperty);
  }

  /**
   * @throws WeftConfigurationException if a named file does not exist, or only one of the client
   *     certificate and its key is given, or both a key store and a PEM pair are
   */
  public void check() {
    if ((clientCertificate == null) != (clientKey == null)) {
      throw new WeftConfigurationException(
          "mutual TLS with PEM files needs both the client certificate and its key ("
              + CLIENT_CERT_ENV + " and " + CLIENT_KEY_ENV + ", or Weft.builder()"
              + ".clientCertificate(certificate, key)); only one is set");
    }
    if (keyStore != null && clientCertificate != null) {
      throw new WeftConfigurationException(
          "give the client certificate either as a key store (" + KEYSTORE_ENV + ") or as PEM"
              + " files (" + CLIENT_CERT_ENV + ", " + CLIENT_KEY_ENV + "), not both");
    }
    for (Path file : new Path[] {trustStore, keyStore, clientCertificate, clientKey}) {
      if (file != null && !Files.isReadable(file)) {
        throw new WeftConfigurationException(
            "the Redis TLS file " + file + " does not exist or cannot be read");
      }
    }
  }

  /**
   * @return these options for a server other than the runtime's own (a Redlock master): the same
   *     TLS material, but the credentials of that server's URL and every read on it
   */
  public ConnectionOptions forOtherServers() {
    return new ConnectionOptions(
        trustStore, trustStorePassword, keyStore, keyStorePassword, clientCertificate, clientKey,
        null, false, keyManagers, trustManagers);
  }

  /** @return whether any TLS material is configured (else Lettuce's defaults apply) */
  public boolean hasTlsMaterial() {
    return trustStore != null || keyStore != null || clientCertificate != null
        || keyManagers != null || trustManagers != null;
  }

  /**
   * Puts the TLS material into {@code options}; leaves it as it is when there is none.
   *
   * @param options the client options being built, not {@code null}
   * @param <B> the builder's type (plain or cluster client options)
   * @return {@code options}
   * @throws WeftConfigurationException if a file cannot be read
   */
  public <B extends ClientOptions.Builder> B applyTo(B options) {
    if (hasTlsMaterial()) {
      options.sslOptions(sslOptions());
    }
    return options;
  }

  /**
   * @return Lettuce's TLS settings for this material (JDK provider)
   * @throws WeftConfigurationException if a file cannot be read
   */
  public SslOptions sslOptions() {
    SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
    if (trustManagers != null) {
      ssl.trustManager(trustManagers);
    } else if (trustStore != null) {
      if (isPem(trustStore)) {
        ssl.trustManager(trustStore.toFile());
      } else {
        ssl.truststore(trustStore.toFile(), trustStorePassword);
      }
    }
    if (keyManagers != null) {
      ssl.keyManager(keyManagers);
    } else if (keyStore != null) {
      ssl.keystore(keyStore.toFile(), keyStorePassword == null ? null : keyStorePassword.toCharArray());
    } else if (clientCertificate != null) {
      ssl.keyManager(clientCertificate.toFile(), clientKey.toFile(), null);
    }
    return ssl.build();
  }

  private static boolean isPem(Path file) {
    byte[] start = new byte[64];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(start, 0, start.length);
    } catch (IOException e) {
      throw new WeftConfigurationException(
          "cannot read the Redis trust store " + file + ": " + e.getMessage(), e);
    }
    return new String(Arrays.copyOf(start, read), StandardCharsets.US_ASCII).contains("-----BEGIN");
  }

  private static String setting(
      Map<String, String> env, UnaryOperator<String> properties, String variable, String property) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      value = properties.apply(property);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Path path(String value) {
    return value == null ? null : Path.of(value);
  }

  @Override
  public String toString() {
    return "ConnectionOptions[trustStore=" + trustStore
        + (trustStorePassword != null ? " (password set)" : "")
        + ", keyStore=" + keyStore
        + (keyStorePassword != null ? " (password set)" : "")
        + ", clientCertificate=" + clientCertificate
        + ", clientKey=" + clientKey
        + ", credentials=" + (credentials != null ? "provider" : "from the URL")
        + (keyManagers != null ? ", keyManagers=given" : "")
        + (trustManagers != null ? ", trustManagers=given" : "")
        + ", readCacheFromReplicas=" + readCacheFromReplicas + "]";
  }
}
