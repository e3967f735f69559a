package dev.weft.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.redis.RedisUnavailableException;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session store whose Redis is killed: a read throws a clear exception rather than answering
 * "no session" (which would log every user out), and the store works again once Redis is back.
 */
@WeftRedis
class SessionsOutageTest {

  private static final Duration RECOVERY = Duration.ofSeconds(15);

  private Weft weft;
  private Sessions sessions;

  @BeforeEach
  void build(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).commandTimeout(Duration.ofMillis(400)).build();
    sessions = weft.sessions("web", SessionOptions.defaults().idleTimeout(Duration.ofMinutes(30)));
  }

  @AfterEach
  void close() {
    weft.close();
  }

  @Test
  void redisKilled_readThrowsNeverEmpty_afterRestartSessionsWorkAgain(RedisServer server) {
    Session before = sessions.create("alice", Map.of("role", "admin"));

    server.kill();

    assertThatThrownBy(() -> sessions.get(before.id()))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining(server.url());
    assertThatThrownBy(() -> sessions.update(before.id(), Map.of("x", 1)))
        .isInstanceOf(RedisUnavailableException.class);
    assertThatThrownBy(() -> sessions.create("bob")).isInstanceOf(RedisUnavailableException.class);
    assertThatThrownBy(() -> sessions.destroyAll("alice"))
        .isInstanceOf(RedisUnavailableException.class);

    server.start();
    AtomicReference<Session> after = new AtomicReference<>();
    Await.until(RECOVERY, () -> "sessions can be created again", () -> {
      try {
        after.set(sessions.create("alice", Map.of("role", "user")));
        return true;
      } catch (WeftUnavailableException e) {
        return false;
      }
    });
    Optional<Session> read = sessions.get(after.get().id());
    assertThat(read).isPresent();
    assertThat(read.get().getString("role")).isEqualTo("user");
    // the restarted server has no persistence: what it held before is gone, and says so
    assertThat(sessions.get(before.id())).isEmpty();
  }
}
