package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
}
