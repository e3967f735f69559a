package dev.weft.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pub/sub on the 3-master cluster: the classic PUBLISH, sent by the gateway to the node of the
 * channel's slot, reaches the subscriber's connection on whichever node it subscribed, for
 * channels in every node's slots and for patterns.
 */
@WeftRedisCluster
class ClusterSubscriberTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  record Ping(int n) {}

  private Weft weft;
  private Subscriber subscriber;

  @BeforeEach
  void start(RedisCluster cluster) {
    weft = Weft.builder().redisUrl(cluster.url()).build();
  }

  @AfterEach
  void stop() {
    if (subscriber != null) {
      subscriber.close();
    }
    weft.close();
  }

  @Test
  void channelsInEveryNodesSlots_andPatterns_delivered() {
    subscriber = weft.subscriber();
    Publisher publisher = weft.publisher();
    List<String> got = new CopyOnWriteArrayList<>();
    Set<Integer> nodes = new HashSet<>();
    int channels = 9;
    for (int i = 0; i < channels; i++) {
      String channel = "ping-" + i;
      nodes.add(SlotHash.getSlot(channel) * 3 / SlotHash.SLOT_COUNT);
      subscriber.subscribe(channel, Ping.class, p -> got.add(channel + "=" + p.n()));
    }
    subscriber.subscribePattern("pong.*", Ping.class, (c, p) -> got.add(c + "=" + p.n()));

    for (int i = 0; i < channels; i++) {
      publisher.publish("ping-" + i, new Ping(i));
    }
    publisher.publish("pong.x", new Ping(99));
    Await.until(WAIT, () -> "all " + (channels + 1) + " delivered, got " + got,
        () -> got.size() == channels + 1);
    assertThat(got).contains("ping-0=0", "ping-8=8", "pong.x=99");
    assertThat(nodes).as("the channels' slots cover all three masters").hasSize(3);
  }
}
