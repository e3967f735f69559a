package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisConnectionsTest {

  @Test
  void options_rejectCommandsWhileDisconnected_andCarryBothTimeouts() {
    ClientOptions standalone =
        RedisConnections.options(
            false, Duration.ofMillis(300), Duration.ofSeconds(7), 16, ConnectionOptions.none());
    ClientOptions cluster =
        RedisConnections.options(
            true, Duration.ofMillis(300), Duration.ofSeconds(7), 16, ConnectionOptions.none());

    for (ClientOptions o : new ClientOptions[] {standalone, cluster}) {
      assertThat(o.getDisconnectedBehavior())
          .isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
      assertThat(o.getSocketOptions().getConnectTimeout()).isEqualTo(Duration.ofSeconds(7));
      assertThat(o.getTimeoutOptions().getSource().getTimeout(null))
          .isEqualTo(Duration.ofMillis(300).toNanos());
      assertThat(o.getRequestQueueSize()).isEqualTo(16);
    }
    assertThat(cluster).isInstanceOf(ClusterClientOptions.class);
  }

  @Test
  void closedFactory_refusesNewClientsAndConnections_asRedisUnavailable() {
    RedisConnections connections = new RedisConnections();
    RedisConnections.Client client =
        connections.client("redis://127.0.0.1:1", Duration.ofSeconds(1), Duration.ofSeconds(1));
    connections.close();

    assertThatThrownBy(client::connect).isInstanceOf(RedisUnavailableException.class);
    assertThatThrownBy(
            () -> connections.client(
                "redis://127.0.0.1:1", Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("is closed");
  }
}
