package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

@Tag("redis")
class TlsRedisServerTest {

  @Test
  void start_serverAnswersOverTlsWithTheClientCertificate_andNotInPlainText() throws Exception {
    try (TlsRedisServer redis = TlsRedisServer.start(TlsRedisServer.ClientAuth.REQUIRED)) {
      assertThat(redis.call("PING")).isEqualTo("PONG");
      assertThat(redis.url()).isEqualTo("rediss://localhost:" + redis.port());

      try (Resp plain = Resp.open(Ports.LOOPBACK, redis.port(), Duration.ofSeconds(2))) {
        assertThatThrownBy(() -> plain.call("PING")).isInstanceOf(IOException.class);
      }
      SSLContext noClientCertificate = SSLContext.getDefault();
      assertThatThrownBy(
              () -> {
                try (Resp resp =
                    Resp.open(Ports.LOOPBACK, redis.port(), Duration.ofSeconds(2),
                        noClientCertificate.getSocketFactory())) {
                  resp.call("PING");
                }
              })
          .isInstanceOf(SSLException.class);
    }
  }

  @Test
  void start_withABinaryBuiltWithoutTls_abortsTheTest_sayingWhy(@TempDir Path dir)
      throws IOException {
    Path fake = dir.resolve("redis-server");
    Files.writeString(
        fake,
        "#!/bin/sh\n"
            + "echo '*** FATAL CONFIG FILE ERROR (Redis 6.2.0) ***'\n"
            + "echo \">>> 'tls-port 6390'\"\n"
            + "echo 'Bad directive or wrong number of arguments'\n"
            + "exit 1\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    LaunchSettings settings = new LaunchSettings(null, fake.toString(), "", () -> false);

    assertThatThrownBy(
            () ->
                TlsRedisServer.start(
                    settings, TlsRedisServer.ClientAuth.NONE, TestCertificates.LOOPBACK_NAMES))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("no TLS support")
        .hasMessageContaining(fake.toString());
  }
}
