package dev.weft.writebehind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis killed under a write-behind: a write throws a RedisException (the caller knows it was not
 * taken), the consumers survive, and after a restart (without persistence, so the stream and its
 * group are gone) writes are taken and persisted again.
 */
@WeftRedis
class WriteBehindOutageTest {

  private static final Duration RECOVERY = Duration.ofSeconds(20);

  record Price(String sku, long cents) {}

  private Weft weft;
  private WriteBehind<Price> prices;

  @BeforeEach
  void build(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).commandTimeout(Duration.ofMillis(400)).build();
  }

  @AfterEach
  void close() {
    if (prices != null) {
      prices.close();
    }
    weft.close();
  }

  @Test
  void redisKilled_writeThrows_afterRestartWritesAndPersistingResume(RedisServer server) {
    List<Price> persisted = new CopyOnWriteArrayList<>();
    prices = weft.writeBehind("prices", Price.class, (k, p) -> persisted.add(p),
        WriteBehindOptions.defaults().ttl("1h").minIdle(Duration.ofMillis(500)));
    prices.write("price:a", new Price("a", 100));
    Await.until(RECOVERY, () -> "the write before the outage persisted, got " + persisted,
        () -> persisted.contains(new Price("a", 100)));

    server.kill();
    assertThatThrownBy(() -> prices.write("price:b", new Price("b", 200)))
        .isInstanceOf(WeftUnavailableException.class)
        .hasMessageContaining("Redis");
    server.start();

    Await.until(RECOVERY, () -> "the restarted server takes a write", () -> {
      try {
        prices.write("price:c", new Price("c", 300));
        return true;
      } catch (WeftUnavailableException e) {
        return false;
      }
    });
    Await.until(RECOVERY, () -> "the write after the restart persisted, got " + persisted,
        () -> persisted.contains(new Price("c", 300)));
    assertThat(persisted).doesNotContain(new Price("b", 200));
    Await.until(RECOVERY, () -> "the backlog empties", () -> prices.backlog() == 0);
  }
}
