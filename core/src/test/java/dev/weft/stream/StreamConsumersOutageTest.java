package dev.weft.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A consumer loop whose Redis is killed and restarted (without persistence, so the stream and its
 * group are gone): the loop survives the outage, creates the group again on NOGROUP, and
 * processes what is added after the restart.
 */
@WeftRedis
class StreamConsumersOutageTest {

  private static final Duration RECOVERY = Duration.ofSeconds(20);

  record Event(String name) {}

  private Weft weft;
  private StreamConsumers consumers;

  @BeforeEach
  void build(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).commandTimeout(Duration.ofMillis(400)).build();
  }

  @AfterEach
  void close() {
    if (consumers != null) {
      consumers.close();
    }
    weft.close();
  }

  @Test
  void redisKilledAndRestarted_loopSurvives_recreatesGroup_processesNewEntries(RedisServer server)
      throws Exception {
    StreamProducer<Event> events = weft.streamProducer("events", Event.class);
    List<String> seen = new CopyOnWriteArrayList<>();
    consumers = weft.streamConsumers();
    consumers.listen("events", "g", Event.class, ConsumerOptions.defaults(),
        (event, id) -> seen.add(event.name()));
    events.add(new Event("before"));
    Await.until(RECOVERY, () -> "the entry before the outage processed, got " + seen,
        () -> seen.contains("before"));

    server.kill();
    server.start();

    Await.until(RECOVERY, () -> "the restarted server takes an entry", () -> {
      try {
        events.add(new Event("after"));
        return true;
      } catch (WeftUnavailableException e) {
        return false;
      }
    });
    Await.until(RECOVERY, () -> "the entry after the restart processed, got " + seen,
        () -> seen.contains("after"));
    assertThat(seen).containsExactly("before", "after");
  }
}
