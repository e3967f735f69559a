package dev.weft.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.annotation.Subscribe;
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
 * A subscriber whose Redis is killed and restarted: it reconnects and subscribes again to its
 * channels and patterns by itself, and receives what is published after the restart.
 */
@WeftRedis
class SubscriberOutageTest {

  private static final Duration RECOVERY = Duration.ofSeconds(20);

  record Note(String text) {}

  static final class Inbox {
    final List<String> plain = new CopyOnWriteArrayList<>();
    final List<String> matched = new CopyOnWriteArrayList<>();

    @Subscribe(channel = "notes")
    void onNote(Note note) {
      plain.add(note.text());
    }

    @Subscribe(pattern = "alerts.*")
    void onAlert(Note note, String channel) {
      matched.add(channel + ":" + note.text());
    }
  }

  private Weft weft;
  private Subscriber subscriber;

  @BeforeEach
  void build(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).commandTimeout(Duration.ofMillis(400)).build();
  }

  @AfterEach
  void close() {
    if (subscriber != null) {
      subscriber.close();
    }
    weft.close();
  }

  @Test
  void redisKilledAndRestarted_subscriberResubscribes_receivesNewMessages(RedisServer server)
      throws Exception {
    Inbox inbox = new Inbox();
    subscriber = weft.subscriber(inbox);
    Publisher publisher = weft.publisher();
    publisher.publish("notes", new Note("before"));
    Await.until(RECOVERY, () -> "the note before the outage", () -> inbox.plain.size() == 1);

    server.kill();
    Await.until(RECOVERY, () -> "the subscriber notices the outage", () -> !subscriber.live());
    server.start();

    // a publish reaches the subscriber once it has subscribed again; those before are lost
    Await.until(RECOVERY, () -> "a subscriber on notes again",
        () -> publishedTo(publisher, "notes", "after") && subscriber.live());
    Await.until(RECOVERY, () -> "a subscriber on alerts.* again",
        () -> publishedTo(publisher, "alerts.disk", "full"));
    Await.until(RECOVERY, () -> "both received, got " + inbox.plain + " " + inbox.matched,
        () -> inbox.plain.contains("after") && inbox.matched.contains("alerts.disk:full"));
    assertThat(inbox.plain).startsWith("before");
  }

  private static boolean publishedTo(Publisher publisher, String channel, String text) {
    try {
      return publisher.publish(channel, new Note(text)) == 1;
    } catch (WeftUnavailableException e) {
      return false;
    }
  }
}
