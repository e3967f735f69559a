package dev.weft.test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.opentest4j.TestAbortedException;

/**
 * A local {@code redis-server} that speaks only TLS ({@code port 0}, {@code tls-port}), with a
 * certificate authority and certificates made for it at start-up ({@link TestCertificates}).
 *
 * <p>Needs a {@code redis-server} built with TLS: Debian's 6 and 7 are, and so is the embedded
 * fallback (6.2.11 in embedded-redis 1.4.4). A binary built without it rejects the TLS settings
 * at start-up; {@link #start} then aborts the calling test as a JUnit assumption whose message
 * says so, so the test shows as skipped, never as passed.
 *
 * <pre>{@code
 * try (TlsRedisServer redis = TlsRedisServer.start(TlsRedisServer.ClientAuth.REQUIRED)) {
 *   redis.url();                               // rediss://localhost:<port>
 *   redis.certificates().caCertificate();      // the CA to trust
 *   redis.certificates().clientKeyStore();     // a client certificate the server accepts
 * }
 * }</pre>
 */
public final class TlsRedisServer implements AutoCloseable {

  /** What the server asks of clients ({@code tls-auth-clients}). */
  public enum ClientAuth {
    /** Clients need no certificate ({@code no}). */
    NONE("no"),
    /** A client may present a certificate, which is then verified ({@code optional}). */
    OPTIONAL("optional"),
    /** Every client must present a certificate signed by the CA ({@code yes}): mutual TLS. */
    REQUIRED("yes");

    private final String setting;

    ClientAuth(String setting) {
      this.setting = setting;
    }
  }

  private final RedisProcess process;
  private final TestCertificates certificates;
  private final Path directory;
  private final Reaper.Registration directoryReaping;
  private boolean closed;

  private TlsRedisServer(
      RedisProcess process, TestCertificates certificates, Path directory,
      Reaper.Registration directoryReaping) {
    this.process = process;
    this.certificates = certificates;
    this.directory = directory;
    this.directoryReaping = directoryReaping;
  }

  /**
   * Makes certificates and starts a TLS-only server on a free loopback port.
   *
   * @param clientAuth what the server asks of clients, not {@code null}
   * @return the running server, never {@code null}; the caller closes it
   * @throws TestAbortedException if the {@code redis-server} found has no TLS support
   * @throws RedisStartException if the server does not come up for another reason
   */
  public static TlsRedisServer start(ClientAuth clientAuth) {
    return start(clientAuth, TestCertificates.LOOPBACK_NAMES);
  }

  /**
   * As {@link #start(ClientAuth)}, with a server certificate for other names (host name
   * verification then fails for {@code localhost}).
   *
   * @param clientAuth what the server asks of clients, not {@code null}
   * @param serverNames the names in the server certificate, not empty
   * @return the running server, never {@code null}; the caller closes it
   * @throws TestAbortedException if the {@code redis-server} found has no TLS support
   */
  public static TlsRedisServer start(ClientAuth clientAuth, List<String> serverNames) {
    return start(LaunchSettings.fromEnvironment(), clientAuth, serverNames);
  }

  /** As {@link #start(ClientAuth, List)}, with the given settings instead of the environment. */
  static TlsRedisServer start(
      LaunchSettings settings, ClientAuth clientAuth, List<String> serverNames) {
    RedisBinary binary = RedisBinary.locate(settings);
    Path directory = TempDirs.create("weft-redis-tls-");
    Reaper.Registration directoryReaping = Reaper.atExit(() -> TempDirs.deleteQuietly(directory));
    TestCertificates certificates = TestCertificates.create(directory, serverNames);
    List<String> tls =
        List.of(
            "tls-cert-file \"" + slashes(certificates.serverCertificate()) + "\"",
            "tls-key-file \"" + slashes(certificates.serverKey()) + "\"",
            "tls-ca-cert-file \"" + slashes(certificates.caCertificate()) + "\"",
            "tls-auth-clients " + clientAuth.setting);
    for (int attempt = 1; ; attempt++) {
      int port = Ports.claimFree();
      RedisProcess process =
          new RedisProcess(
              binary.path(), directory, port, tls, List.of(),
              certificates.clientContext().getSocketFactory());
      try {
        process.start();
        return new TlsRedisServer(process, certificates, directory, directoryReaping);
      } catch (RedisStartException e) {
        Ports.release(port);
        if (e.portInUse() && attempt < LocalRedisServer.PORT_ATTEMPTS) {
          continue;
        }
        TempDirs.deleteQuietly(directory);
        directoryReaping.cancel();
        String log = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (log.contains("tls") && (log.contains("bad directive") || log.contains("not support"))) {
          throw withoutTls(binary, "it rejects the TLS settings");
        }
        throw e;
      }
    }
  }

  private static TestAbortedException withoutTls(RedisBinary binary, String why) {
    return new TestAbortedException(
        "TLS test skipped: " + binary.path() + " (source " + binary.source() + ") has no TLS"
            + " support (" + why + "). Install a redis-server built with TLS (BUILD_TLS=yes),"
            + " such as Debian's redis-server 7, on the PATH or name one in WEFT_REDIS_SERVER.");
  }

  private static String slashes(Path file) {
    return file.toAbsolutePath().toString().replace('\\', '/');
  }

  /** @return the TLS port on 127.0.0.1 */
  public int port() {
    return process.port();
  }

  /**
   * @return {@code rediss://localhost:<port>}: a name the server certificate carries, so that a
   *     client verifying host names accepts it
   */
  public String url() {
    return "rediss://localhost:" + port();
  }

  /** @return the CA, server and client certificates of this server */
  public TestCertificates certificates() {
    return certificates;
  }

  /**
   * Sends one command over the harness's own TLS control connection (with the client
   * certificate), as the default user.
   *
   * @param command the command and its arguments, not {@code null}
   * @return a {@link String}, {@link Long}, {@link List} or {@code null}, as the reply is
   * @throws IllegalStateException if the command fails or the server answers an error
   */
  public Object call(String... command) {
    try {
      return process.call(command);
    } catch (IOException e) {
      throw new IllegalStateException(
          "control command " + command[0] + " failed on " + url() + ": " + e.getMessage(), e);
    }
  }

  /** Stops the server and deletes its certificates. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      process.stop();
    } finally {
      Ports.release(port());
      TempDirs.deleteQuietly(directory);
      directoryReaping.cancel();
    }
  }

  @Override
  public String toString() {
    return "TlsRedisServer[" + url() + "]";
  }
}
