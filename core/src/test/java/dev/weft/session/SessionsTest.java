package dev.weft.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Sessions} against a real Redis: ids and what Redis holds of them, typed fields, sliding
 * expiry and the maximum lifetime, updates, destroying one or all of a user's sessions, and the
 * per-user bound.
 */
@WeftRedis
class SessionsTest {

  private static final Duration IDLE = Duration.ofMinutes(30);

  private Weft weft;
  private Sessions sessions;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    sessions = weft.sessions("web", SessionOptions.defaults().idleTimeout(IDLE));
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

  record Cart(List<Integer> items, String coupon) {}

  @Test
  void create_thenGet_returnsUserAndTypedFields() {
    Session created = sessions.create("user-42",
        Map.of("role", "admin", "visits", 3, "cart", new Cart(List.of(7, 9), "XMAS")));

    Session read = sessions.get(created.id()).orElseThrow();

    assertThat(read.id()).isEqualTo(created.id());
    assertThat(read.userId()).isEqualTo("user-42");
    assertThat(read.fieldNames()).containsExactlyInAnyOrder("role", "visits", "cart");
    assertThat(read.getString("role")).isEqualTo("admin");
    assertThat(read.get("visits", Integer.class)).isEqualTo(3);
    assertThat(read.get("cart", Cart.class)).isEqualTo(new Cart(List.of(7, 9), "XMAS"));
    assertThat(read.getString("missing")).isNull();
    assertThat(read.createdAt()).isEqualTo(created.createdAt());
    assertThat(read.expiresAt()).isAfterOrEqualTo(created.expiresAt());
    assertThat(created.expiresAt()).isEqualTo(created.createdAt().plus(IDLE));
    assertThatThrownBy(() -> read.get("role", Integer.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("session field 'role' holds \"admin\"");
  }

  @Test
  void ids_are66UrlSafeCharacters_unique_andRedisHoldsOnlyTheirSha256() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      ids.add(sessions.create("user-" + (i % 5)).id());
    }
    String id = ids.iterator().next();
    String secret = id.substring(23);

    assertThat(ids).hasSize(50)
        .allSatisfy(s ->
            assertThat(s).hasSize(66).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}"));
    String hash = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII)));
    List<String> keys = redis.keys("*");
    assertThat(keys).anyMatch(k -> k.endsWith("}:" + hash));
    assertThat(String.join(" ", keys)).doesNotContain(secret);
    for (String key : keys) {
      String dump = key.endsWith(":index")
          ? String.join(" ", redis.zrange(key, 0, -1))
          : redis.hgetall(key).toString();
      assertThat(dump).as("contents of %s", key).doesNotContain(secret);
    }
  }

  @Test
  void keys_shareTheUsersHashTag_andAllHaveTtls() {
    Session a = sessions.create("alice");
    sessions.create("alice");
    sessions.create("bob");

    String tag = Sessions.userTag("alice");
    assertThat(a.id()).startsWith(tag + ".");
    List<String> aliceKeys = redis.keys("weft:session:web:{" + tag + "}:*");
    assertThat(aliceKeys).hasSize(3).contains("weft:session:web:{" + tag + "}:index");
    assertThat(redis.keys("*")).hasSize(5)
        .allSatisfy(k -> assertThat(redis.pttl(k)).as("PTTL of %s", k).isPositive());
    long indexTtl = redis.pttl("weft:session:web:{" + tag + "}:index");
    for (String key : aliceKeys) {
      assertThat(redis.pttl(key)).isLessThanOrEqualTo(indexTtl);
    }
  }

  @Test
  void get_slidesTheExpiry_andSoDoesUpdate() {
    Session s = sessions.create("alice");
    String key = sessionKey(s);
    String index = indexKey("alice");

    redis.pexpire(key, 5_000);
    sessions.get(s.id()).orElseThrow();
    assertThat(redis.pttl(key)).as("a read restores the idle timeout")
        .isGreaterThan(IDLE.toMillis() - 10_000);
    assertThat(redis.pttl(index)).isGreaterThanOrEqualTo(redis.pttl(key) - 1_000);

    redis.pexpire(key, 5_000);
    redis.pexpire(index, 5_000);
    assertThat(sessions.update(s.id(), Map.of("theme", "dark"))).isTrue();
    assertThat(redis.pttl(key)).as("an update too").isGreaterThan(IDLE.toMillis() - 10_000);
    assertThat(redis.pttl(index)).as("and the index follows")
        .isGreaterThan(IDLE.toMillis() - 10_000);
  }

  @Test
  void idleSession_expires() {
    Sessions brief = weft.sessions("brief",
        SessionOptions.defaults().idleTimeout(Duration.ofMillis(100)));
    Session s = brief.create("alice");

    // watched without reading it through the store, since every read would extend it
    Await.until(Duration.ofSeconds(10), () -> "the idle session expired",
        () -> redis.keys("weft:session:brief:*").isEmpty());

    assertThat(brief.get(s.id())).isEmpty();
  }

  @Test
  void maxLifetime_capsTheTtl_andReadsNeverExtendPastIt() {
    Duration lifetime = Duration.ofSeconds(20);
    Sessions capped = weft.sessions("capped",
        SessionOptions.defaults().idleTimeout(Duration.ofMinutes(10)).maxLifetime(lifetime));
    Session s = capped.create("alice");
    String key = "weft:session:capped:" + sessionKey(s).substring("weft:session:web:".length());

    assertThat(s.expiresAt()).isEqualTo(s.createdAt().plus(lifetime));
    assertThat(redis.pttl(key)).isBetween(1L, lifetime.toMillis());
    Session read = capped.get(s.id()).orElseThrow();
    assertThat(read.expiresAt()).isEqualTo(s.createdAt().plus(lifetime));
    assertThat(redis.pttl(key)).isBetween(1L, lifetime.toMillis());
  }

  @Test
  void maxLifetime_endsAnActiveSession() {
    Sessions capped = weft.sessions("short",
        SessionOptions.defaults().idleTimeout(Duration.ofMinutes(10)).maxLifetime(Duration.ofMillis(
            300)));
    Session s = capped.create("alice");

    // read it again and again: reads keep it from idling out, only the lifetime can end it
    Await.until(Duration.ofSeconds(10), () -> "the session reached its lifetime",
        () -> capped.get(s.id()).isEmpty());

    assertThat(redis.keys("weft:session:short:*")).isEmpty();
  }

  @Test
  void update_setsAndRemovesFields_onlyForExistingSessions() {
    Session s = sessions.create("alice", Map.of("a", 1, "b", 2));

    assertThat(sessions.update(s.id(), Map.of("b", 20, "c", "three"), List.of("a"))).isTrue();

    Session read = sessions.get(s.id()).orElseThrow();
    assertThat(read.fieldNames()).containsExactlyInAnyOrder("b", "c");
    assertThat(read.get("b", Integer.class)).isEqualTo(20);
    assertThat(read.getString("c")).isEqualTo("three");
    assertThat(read.userId()).isEqualTo("alice");
    sessions.destroy(s.id());
    assertThat(sessions.update(s.id(), Map.of("x", 1))).isFalse();
    assertThat(redis.exists(sessionKey(s))).as("an update of a missing session writes nothing")
        .isZero();
  }

  @Test
  void destroy_removesTheSessionAndItsIndexEntry() {
    Session s = sessions.create("alice");
    Session other = sessions.create("alice");

    assertThat(sessions.destroy(s.id())).isTrue();
    assertThat(sessions.destroy(s.id())).isFalse();

    assertThat(sessions.get(s.id())).isEmpty();
    assertThat(sessions.get(other.id())).isPresent();
    assertThat(redis.zcard(indexKey("alice"))).isEqualTo(1);
  }

  @Test
  void destroyAll_endsEveryOneOfTheUsersSessions_andNoOneElses() {
    Session a1 = sessions.create("alice");
    Session a2 = sessions.create("alice");
    Session a3 = sessions.create("alice");
    Session b = sessions.create("bob");
    Sessions otherStore = weft.sessions("api", SessionOptions.defaults().idleTimeout(IDLE));
    Session elsewhere = otherStore.create("alice");

    assertThat(sessions.destroyAll("alice")).isEqualTo(3);

    assertThat(List.of(a1, a2, a3)).allSatisfy(s -> assertThat(sessions.get(s.id())).isEmpty());
    assertThat(sessions.get(b.id())).isPresent();
    assertThat(otherStore.get(elsewhere.id())).isPresent();
    assertThat(redis.exists(indexKey("alice"))).isZero();
    assertThat(sessions.destroyAll("alice")).isZero();
    assertThat(sessions.destroyAll("nobody")).isZero();
  }

  @Test
  void maxSessionsPerUser_evictsTheSessionThatWouldExpireFirst() {
    Sessions bounded = weft.sessions("bounded",
        SessionOptions.defaults().idleTimeout(IDLE).maxSessionsPerUser(3));
    Session first = bounded.create("alice");
    Session second = bounded.create("alice");
    Session third = bounded.create("alice");
    String firstKey = "weft:session:bounded:" + sessionKey(first).substring(17);
    String secondKey = "weft:session:bounded:" + sessionKey(second).substring(17);
    // the second would expire first; the first was just used
    redis.pexpire(secondKey, 60_000);
    redis.zadd("weft:session:bounded:{" + Sessions.userTag("alice") + "}:index",
        redisMicros() + 60_000_000L, secondKey.substring(secondKey.lastIndexOf(':') + 1));

    Session fourth = bounded.create("alice");

    assertThat(bounded.get(second.id())).isEmpty();
    assertThat(List.of(first, third, fourth))
        .allSatisfy(s -> assertThat(bounded.get(s.id())).isPresent());
    assertThat(redis.exists(firstKey)).isEqualTo(1);
    assertThat(redis.zcard("weft:session:bounded:{" + Sessions.userTag("alice") + "}:index"))
        .isEqualTo(3);
    assertThat(bounded.create("bob")).isNotNull();
    assertThat(bounded.get(first.id())).as("another user's session does not count").isPresent();
  }

  @Test
  void unknownOrMalformedIds_readAsNoSession() {
    Session real = sessions.create("alice");
    String forged = real.id().substring(0, 23) + "A".repeat(43);

    assertThat(sessions.get(forged)).isEmpty();
    assertThat(sessions.get("")).isEmpty();
    assertThat(sessions.get("not-a-session-id")).isEqualTo(Optional.empty());
    assertThat(sessions.get(real.id() + "x")).isEmpty();
    assertThat(sessions.get(real.id().replace('.', '!'))).isEmpty();
    assertThat(sessions.destroy("garbage")).isFalse();
    assertThat(sessions.update("garbage", Map.of("a", 1))).isFalse();
    assertThat(sessions.get(real.id())).isPresent();
  }

  @Test
  void toString_neverShowsTheId() {
    Session s = sessions.create("alice", Map.of("role", "admin"));

    assertThat(s.toString()).doesNotContain(s.id()).doesNotContain(s.id().substring(23))
        .contains("alice");
    assertThat(sessions.get(s.id()).orElseThrow().toString()).doesNotContain(s.id().substring(23));
  }

  @Test
  void invalidArguments_areRejectedWithWhatIsRight() {
    assertThatThrownBy(() -> weft.sessions("web sessions",
        SessionOptions.defaults().idleTimeout(IDLE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 64 letters, digits");
    assertThatThrownBy(() -> weft.sessions("{web}", SessionOptions.defaults().idleTimeout(IDLE)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sessions.create(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("userId must not be empty");
    assertThatThrownBy(() -> sessions.create("alice", Map.of("@user", "mallory")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty or start with '@'");
    assertThatThrownBy(() -> sessions.update("x", Map.of(), List.of("@deadline")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start with '@'");
    assertThatThrownBy(() -> sessions.get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> SessionOptions.defaults().idleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idleTimeout must be at least 1 ms");
    assertThatThrownBy(() -> SessionOptions.defaults().idleTimeout(IDLE).maxSessionsPerUser(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSessionsPerUser must be between 1 and 10000");
    assertThatThrownBy(() -> SessionOptions.defaults().idleTimeout(IDLE).maxLifetime(
        Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLifetime must be at least 1 ms, or Duration.ZERO");
  }

  private String sessionKey(Session s) {
    String hash;
    try {
      hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.id().getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    return "weft:session:web:{" + s.id().substring(0, 22) + "}:" + hash;
  }

  private double redisMicros() {
    List<String> time = redis.time();
    return Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
  }

  private static String indexKey(String userId) {
    return "weft:session:web:{" + Sessions.userTag(userId) + "}:index";
  }
}
