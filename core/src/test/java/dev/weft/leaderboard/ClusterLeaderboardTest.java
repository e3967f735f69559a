package dev.weft.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Boards on the 3-master cluster: one key per board, so every script runs on the board's node. */
@WeftRedisCluster
class ClusterLeaderboardTest {

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
  void boardsOnEveryNode_writeTrimAndReadNeighbourhoods() {
    Set<Integer> nodes = new HashSet<>();
    for (int b = 0; b < 12; b++) {
      Leaderboard board = weft.leaderboard("board-" + b,
          LeaderboardOptions.defaults().keepTop(5).expireAfter(Duration.ofMinutes(5)));
      nodes.add(SlotHash.getSlot("weft:lb:{board-" + b + "}") * 3 / SlotHash.SLOT_COUNT);
      for (int m = 0; m < 8; m++) {
        board.increment("m" + m, m * 10 + b);
      }

      assertThat(board.size()).as("board %d", b).isEqualTo(5);
      assertThat(board.top(1).get(0).member()).isEqualTo("m7");
      assertThat(board.around("m5", 1)).extracting(LeaderboardEntry::member)
          .containsExactly("m6", "m5", "m4");
      assertThat(board.entry("m0")).isEmpty();
    }
    assertThat(nodes).as("the boards' slots cover all three masters").hasSize(3);
  }

  @Test
  void eventIds_liveInTheBoardsSlot_onEveryNode() {
    for (int b = 0; b < 12; b++) {
      Leaderboard board = weft.leaderboard("evented-" + b,
          LeaderboardOptions.defaults().keepTop(5));
      board.increment("m", 1, "e-1");
      board.increment("m", 1, "e-1");
      assertThat(board.increment("m", 1, "e-2")).map(LeaderboardEntry::score).hasValue(2.0);
    }
  }

}
