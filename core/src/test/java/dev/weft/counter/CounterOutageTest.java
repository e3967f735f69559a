package dev.weft.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.redis.RedisUnavailableException;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counters whose Redis is killed: increments and reads throw rather than report zero, and they
 * work again once Redis is back.
 */
@WeftRedis
class CounterOutageTest {

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
  void redisKilled_incrementsAndReadsThrowNeverZero_afterRestartWorkAgain(RedisServer server) {
    Counter counter = weft.counter("outage",
        CounterOptions.defaults().granularity(Granularity.MINUTE));
    UniqueCounter uniques =
        weft.uniqueCounter("outage", CounterOptions.defaults().granularity(Granularity.MINUTE));
    Instant from = Instant.now().minus(Duration.ofMinutes(5));
    Instant to = Instant.now().plus(Duration.ofMinutes(5));
    counter.increment("k");

    server.kill();

    assertThatThrownBy(() -> counter.increment("k"))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining(server.url());
    assertThatThrownBy(() -> counter.series("k", from, to))
        .isInstanceOf(RedisUnavailableException.class);
    assertThatThrownBy(() -> uniques.add("k", "a")).isInstanceOf(RedisUnavailableException.class);
    assertThatThrownBy(() -> uniques.count("k", from, to))
        .isInstanceOf(RedisUnavailableException.class);

    server.start();
    Await.until(RECOVERY, () -> "the counter answers again", () -> {
      try {
        counter.increment("k", 2);
        return true;
      } catch (WeftUnavailableException e) {
        return false;
      }
    });
    assertThat(counter.total("k", from, to)).isEqualTo(2);
    uniques.add("k", "a");
    assertThat(uniques.count("k", from, to)).isEqualTo(1);
  }
}
