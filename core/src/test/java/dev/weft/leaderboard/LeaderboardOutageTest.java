package dev.weft.leaderboard;

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
 * A board whose Redis is killed: reads and writes throw rather than show an empty board, and the
 * board works again once Redis is back.
 */
@WeftRedis
class LeaderboardOutageTest {

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
  void redisKilled_readsAndWritesThrowNeverEmpty_afterRestartWorksAgain(RedisServer server) {
    Leaderboard board = weft.leaderboard("outage", LeaderboardOptions.defaults().keepTop(10));
    board.set("alice", 3);

    server.kill();

    assertThatThrownBy(() -> board.top(10))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining(server.url());
    assertThatThrownBy(() -> board.around("alice", 1))
        .isInstanceOf(RedisUnavailableException.class);
    assertThatThrownBy(() -> board.increment("alice", 1))
        .isInstanceOf(RedisUnavailableException.class);

    server.start();
    Await.until(RECOVERY, () -> "the board answers again", () -> {
      try {
        board.set("bob", 7);
        return true;
      } catch (WeftUnavailableException e) {
        return false;
      }
    });
    assertThat(board.entry("bob")).contains(new LeaderboardEntry("bob", 7, 1));
  }
}
