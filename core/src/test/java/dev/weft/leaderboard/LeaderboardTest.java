package dev.weft.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Leaderboard} against a real Redis: scores, ranks, ties, paging, bounds and expiry. */
@WeftRedis
class LeaderboardTest {

  private static final LeaderboardOptions HOUR =
      LeaderboardOptions.defaults().expireAfter(Duration.ofHours(1)).keepTop(0);

  private Weft weft;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterEach
  void close() {
    connection.close();
    client.shutdown();
    weft.close();
  }

  @Test
  void equalScores_rankByMemberNameAscending_bestScoreFirst() {
    Leaderboard board = weft.leaderboard("ties", HOUR);
    board.set("carol", 10);
    board.set("alice", 10);
    board.set("dave", 20);
    board.set("bob", 10);
    board.set("erin", 5);

    assertThat(board.top(5))
        .containsExactly(
            new LeaderboardEntry("dave", 20, 1),
            new LeaderboardEntry("alice", 10, 2),
            new LeaderboardEntry("bob", 10, 3),
            new LeaderboardEntry("carol", 10, 4),
            new LeaderboardEntry("erin", 5, 5));
    assertThat(board.rank("carol")).hasValue(4);
    assertThat(board.entry("bob")).contains(new LeaderboardEntry("bob", 10, 3));
  }

  @Test
  void tieOrder_doesNotDependOnArrival() {
    Leaderboard first = weft.leaderboard("arrival-1", HOUR);
    Leaderboard second = weft.leaderboard("arrival-2", HOUR);
    first.set("zed", 7);
    first.set("amy", 7);
    second.set("amy", 7);
    second.set("zed", 7);

    assertThat(first.top(2)).extracting(LeaderboardEntry::member).containsExactly("amy", "zed");
    assertThat(second.top(2)).isEqualTo(first.top(2));
  }

  @Test
  void set_increment_setIfHigher_returnEntryAfterWrite() {
    Leaderboard board = weft.leaderboard("writes", HOUR);

    assertThat(board.set("alice", 100)).contains(new LeaderboardEntry("alice", 100, 1));
    assertThat(board.increment("bob", 30.5)).contains(new LeaderboardEntry("bob", 30.5, 2));
    assertThat(board.increment("bob", 80)).contains(new LeaderboardEntry("bob", 110.5, 1));
    assertThat(board.increment("bob", -20)).contains(new LeaderboardEntry("bob", 90.5, 2));
    assertThat(board.setIfHigher("alice", 50)).contains(new LeaderboardEntry("alice", 100, 1));
    assertThat(board.setIfHigher("alice", 150)).contains(new LeaderboardEntry("alice", 150, 1));
    assertThat(board.setIfHigher("carol", -3)).contains(new LeaderboardEntry("carol", -3, 3));
    assertThat(board.set("alice", 0)).contains(new LeaderboardEntry("alice", 0, 2));

    assertThat(board.score("alice")).isEqualTo(OptionalDouble.of(0));
    assertThat(board.score("bob")).isEqualTo(OptionalDouble.of(90.5));
    assertThat(board.size()).isEqualTo(3);
  }

  @Test
  void absentMember_hasNoRankScoreOrNeighbourhood() {
    Leaderboard board = weft.leaderboard("absent", HOUR);
    board.set("alice", 1);

    assertThat(board.rank("nobody")).isEqualTo(OptionalLong.empty());
    assertThat(board.score("nobody")).isEqualTo(OptionalDouble.empty());
    assertThat(board.entry("nobody")).isEmpty();
    assertThat(board.around("nobody", 3)).isEmpty();
    assertThat(board.remove("nobody")).isFalse();
    assertThat(board.remove("alice")).isTrue();
    assertThat(board.rank("alice")).isEqualTo(OptionalLong.empty());
  }

  @Test
  void around_listsNeighboursInRankOrder_cutAtBothEnds() {
    Leaderboard board = weft.leaderboard("around", HOUR);
    for (int i = 1; i <= 10; i++) {
      board.set("m" + i, 100 - i); // m1 ranks 1, m10 ranks 10
    }

    assertThat(board.around("m5", 2))
        .extracting(LeaderboardEntry::member, LeaderboardEntry::rank)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("m3", 3L),
            org.assertj.core.groups.Tuple.tuple("m4", 4L),
            org.assertj.core.groups.Tuple.tuple("m5", 5L),
            org.assertj.core.groups.Tuple.tuple("m6", 6L),
            org.assertj.core.groups.Tuple.tuple("m7", 7L));
    assertThat(board.around("m1", 2)).extracting(LeaderboardEntry::member)
        .containsExactly("m1", "m2", "m3");
    assertThat(board.around("m10", 2)).extracting(LeaderboardEntry::member)
        .containsExactly("m8", "m9", "m10");
    assertThat(board.around("m4", 0)).containsExactly(new LeaderboardEntry("m4", 96, 4));
  }

  @Test
  void pages_coverEveryRankOnce_inOrder_emptyPastTheEnd() {
    Leaderboard board = weft.leaderboard("pages", HOUR);
    for (int i = 0; i < 25; i++) {
      board.set(String.format("p%02d", i), i % 7); // many ties
    }

    List<LeaderboardEntry> page1 = board.page(1, 10);
    List<LeaderboardEntry> page2 = board.page(2, 10);
    List<LeaderboardEntry> page3 = board.page(3, 10);

    assertThat(page1).hasSize(10).extracting(LeaderboardEntry::rank)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(page2).hasSize(10);
    assertThat(page2.get(0).rank()).isEqualTo(11);
    assertThat(page3).hasSize(5).extracting(LeaderboardEntry::rank)
        .containsExactly(21L, 22L, 23L, 24L, 25L);
    assertThat(board.page(4, 10)).isEmpty();
    List<LeaderboardEntry> all = new java.util.ArrayList<>(page1);
    all.addAll(page2);
    all.addAll(page3);
    assertThat(all).isEqualTo(board.top(25));
    assertThat(all).isSortedAccordingTo(
        java.util.Comparator.comparingDouble(LeaderboardEntry::score).reversed()
            .thenComparing(LeaderboardEntry::member));
    assertThat(board.range(11, 10)).isEqualTo(page2);
  }

  @Test
  void keepTop_trimsInTheWriteItself_andReportsWhenAMemberDidNotMakeTheBoard() {
    Leaderboard board = weft.leaderboard("bounded", LeaderboardOptions.defaults().keepTop(3));
    board.set("a", 50);
    board.set("b", 40);
    board.set("c", 30);

    Optional<LeaderboardEntry> low = board.set("d", 10);
    Optional<LeaderboardEntry> high = board.set("e", 45);
    Optional<LeaderboardEntry> tieAtTheEdge = board.set("aa", 40); // ties b, ranks before it

    assertThat(low).isEmpty();
    assertThat(high).contains(new LeaderboardEntry("e", 45, 2));
    assertThat(tieAtTheEdge).contains(new LeaderboardEntry("aa", 40, 3));
    assertThat(board.top(10)).extracting(LeaderboardEntry::member).containsExactly("a", "e", "aa");
    assertThat(redis.zcard("weft:lb:{bounded}")).isEqualTo(3);
    assertThat(redis.pttl("weft:lb:{bounded}")).as("bounded, no expiry").isEqualTo(-1L);
  }

  @Test
  void expireAfter_renewedByWrites_notByReads() {
    Duration ttl = Duration.ofMinutes(10);
    Leaderboard board = weft.leaderboard("daily",
        LeaderboardOptions.defaults().expireAfter(ttl).keepTop(0));
    String key = "weft:lb:{daily}";
    board.set("alice", 1);
    assertThat(redis.pttl(key)).isBetween(ttl.toMillis() - 5_000, ttl.toMillis());

    redis.pexpire(key, 60_000);
    board.top(10);
    board.around("alice", 1);
    assertThat(redis.pttl(key)).as("reads do not extend").isBetween(1L, 60_000L);

    board.increment("alice", 1);
    assertThat(redis.pttl(key)).as("a write renews").isGreaterThan(60_000L);
  }

  @Test
  void expiredBoard_isEmpty() {
    Leaderboard board =
        weft.leaderboard("brief",
            LeaderboardOptions.defaults().expireAfter(Duration.ofMillis(50)).keepTop(0));
    board.set("alice", 1);

    dev.weft.test.Await.until(Duration.ofSeconds(10), () -> "the board expired",
        () -> board.size() == 0);

    assertThat(board.top(3)).isEmpty();
  }

  @Test
  void severalBoards_areIndependent_andNamesAreEscapedIntoTheHashTag() {
    Leaderboard daily = weft.leaderboard("game:{daily}", HOUR);
    Leaderboard weekly = weft.leaderboard("game:{weekly}", HOUR);
    daily.set("alice", 5);
    weekly.set("alice", 500);
    weekly.set("bob", 600);

    assertThat(daily.top(10)).containsExactly(new LeaderboardEntry("alice", 5, 1));
    assertThat(weekly.rank("alice")).hasValue(2);
    assertThat(redis.keys("weft:lb:*"))
        .containsExactlyInAnyOrder("weft:lb:{game:%7Bdaily%7D}", "weft:lb:{game:%7Bweekly%7D}");
    assertThat(redis.zscore("weft:lb:{game:%7Bdaily%7D}", "alice"))
        .as("stored negated, so that ascending order is best first").isEqualTo(-5.0);
    assertThat(weekly.clear()).isTrue();
    assertThat(weekly.size()).isZero();
    assertThat(daily.size()).isEqualTo(1);
  }

  @Test
  void invalidArguments_areRejectedWithWhatIsRight() {
    Leaderboard board = weft.leaderboard("args", HOUR);

    assertThatThrownBy(() -> board.set("alice", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("score must be a finite number");
    assertThatThrownBy(() -> board.increment("alice", Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delta must be a finite number");
    assertThatThrownBy(() -> board.set("", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("member must not be empty");
    assertThatThrownBy(() -> board.top(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 and 10000");
    assertThatThrownBy(() -> board.range(0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1-based");
    assertThatThrownBy(() -> board.page(0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("page is 1-based");
    assertThatThrownBy(() -> board.around("alice", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("radius must be between 0 and");
    assertThatThrownBy(() -> weft.leaderboard("", HOUR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name must not be empty");
    assertThatThrownBy(() -> new LeaderboardOptions(0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a bound or an expiry");
    assertThatThrownBy(() -> LeaderboardOptions.defaults().keepTop(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("set expireAfter(duration) before keepTop(0)");
  }

  @Test
  void incrementWithAnEventId_countsEachEventOnce() {
    Leaderboard board = weft.leaderboard("events", HOUR);

    assertThat(board.increment("ann", 5, "1700000000000-0"))
        .map(LeaderboardEntry::score).hasValue(5.0);
    assertThat(board.increment("ann", 5, "1700000000000-0"))
        .as("the same event delivered again").map(LeaderboardEntry::score).hasValue(5.0);
    assertThat(board.increment("ann", 2, "1700000000000-1"))
        .map(LeaderboardEntry::score).hasValue(7.0);
    assertThat(board.increment("bob", 1, "1700000000000-0"))
        .as("an event id is remembered per board, not per member").isEmpty();

    assertThat(redis.pttl("weft:lb:{events}:seen:1700000000000-0"))
        .as("remembered for a day").isBetween(86_000_000L, 86_400_000L);
    assertThatThrownBy(() -> board.increment("ann", 1, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event id");
  }

}
