package dev.weft.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions on the 3-master cluster: a session and its user's index share the user tag's slot, so
 * creating (session + index, evicting others), reading, updating and destroying all of a user's
 * sessions are single scripts that never meet CROSSSLOT, whichever node the user lands on.
 */
@WeftRedisCluster
class ClusterSessionsTest {

  private Weft weft;

  @BeforeEach
  void start(RedisCluster cluster) {
    weft = Weft.builder().redisUrl(cluster.url()).build();
  }

  @AfterEach
  void stop() {
    weft.close();
  }

  @Test
  void usersOnEveryNode_createReadUpdateEvictAndDestroyAll() {
    Sessions sessions = weft.sessions("web",
        SessionOptions.defaults().idleTimeout(Duration.ofMinutes(5)).maxSessionsPerUser(3));
    Set<Integer> nodes = new HashSet<>();
    for (int u = 0; u < 12; u++) {
      String user = "user-" + u;
      nodes.add(SlotHash.getSlot("{" + Sessions.userTag(user) + "}") * 3 / SlotHash.SLOT_COUNT);
      List<Session> created = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        created.add(sessions.create(user, Map.of("n", i)));
      }

      assertThat(sessions.get(created.get(0).id())).as("evicted, the bound is 3").isEmpty();
      assertThat(sessions.update(created.get(1).id(), Map.of("n", 10))).isTrue();
      assertThat(sessions.get(created.get(1).id()).orElseThrow().get("n", Integer.class))
          .isEqualTo(10);
      assertThat(sessions.destroyAll(user)).isEqualTo(3);
      assertThat(created).allSatisfy(s -> assertThat(sessions.get(s.id())).isEmpty());
    }
    assertThat(nodes).as("the users' slots cover all three masters").hasSize(3);
  }
}
