package dev.weft.bloom;

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
 * A filter whose Redis is killed: a check throws instead of answering "certainly not added" for a
 * filter it could not read, and the filter works again once Redis is back.
 */
@WeftRedis
class BloomFilterOutageTest {

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
  void redisKilled_checkThrowsNeverFalse_afterRestartWorksAgain(RedisServer server) {
    BloomFilter filter = weft.bloomFilter("outage",
        BloomOptions.defaults().expectedItems(100).falsePositiveRate(0.01));
    filter.add("before");

    server.kill();

    assertThatThrownBy(() -> filter.mightContain("before"))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining(server.url());
    assertThatThrownBy(() -> filter.add("during")).isInstanceOf(RedisUnavailableException.class);

    server.start();
    Await.until(RECOVERY, () -> "the filter answers again", () -> {
      try {
        filter.add("after");
        return true;
      } catch (WeftUnavailableException e) {
        return false;
      }
    });
    assertThat(filter.mightContain("after")).isTrue();
  }
}
