package dev.weft.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.redis.RedisUnavailableException;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A queue whose Redis is killed: offer, take and ack throw rather than report an empty queue or a
 * lost item, and the queue works again once Redis is back.
 */
@WeftRedis
class ReliableQueueOutageTest {

  private static final Duration RECOVERY = Duration.ofSeconds(15);

  private Weft weft;

  @BeforeEach
  void build(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).commandTimeout(Duration.ofMillis(400)).build();
  }

  @AfterEach
  void close() {
    weft.close();
  }

  @Test
  void redisKilled_offerTakeAckThrowNeverEmpty_afterRestartWorksAgain(RedisServer server)
      throws Exception {
    ReliableQueue<String> queue = weft.queue("outage", String.class,
        QueueOptions.defaults().visibilityTimeout(Duration.ofSeconds(30)));
    queue.offer("before");
    Delivery<String> held = queue.take(Duration.ofSeconds(1)).orElseThrow();

    server.kill();

    assertThatThrownBy(() -> queue.take(Duration.ofSeconds(2)))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining(server.url());
    assertThatThrownBy(() -> queue.offer("during"))
        .isInstanceOf(RedisUnavailableException.class);
    assertThatThrownBy(() -> queue.ack(held))
        .isInstanceOf(RedisUnavailableException.class);
    assertThatThrownBy(queue::poll).isInstanceOf(RedisUnavailableException.class);

    server.start();
    Await.until(RECOVERY, () -> "the queue answers again", () -> {
      try {
        return queue.offer("after");
      } catch (WeftUnavailableException e) {
        return false;
      }
    });
    Delivery<String> after = queue.take(Duration.ofSeconds(1)).orElseThrow();
    assertThat(after.payload()).isEqualTo("after");
    assertThat(queue.ack(after)).isTrue();
    // the restarted server has no persistence: the earlier lease is gone with its data
    assertThat(queue.ack(held)).isFalse();
  }
}
