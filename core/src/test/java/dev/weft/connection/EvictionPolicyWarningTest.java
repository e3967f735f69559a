package dev.weft.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.internal.WeftAccess;
import dev.weft.outage.LogCapture;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Locks, queues, streams and write-behind writes share the cache's keyspace, so a Redis that
 * evicts can drop a held lock or accepted work without any error. The runtime reads the eviction
 * policy once after connecting and warns, naming what is at risk and the fix; under {@code
 * noeviction}, or without {@code maxmemory}, it says nothing. The server is this class's own
 * ({@code @WeftRedis}); each test restores its memory settings.
 */
@WeftRedis
class EvictionPolicyWarningTest {

  private static final String WARNING = "evicts keys when it reaches maxmemory";

  private RedisClient admin;
  private StatefulRedisConnection<String, String> adminConnection;
  private RedisCommands<String, String> redis;
  private LogCapture logs;
  private Weft weft;
  private RedisServer server;

  @BeforeEach
  void connect(RedisServer server) {
    this.server = server;
    admin = RedisClient.create(server.uri());
    adminConnection = admin.connect();
    redis = adminConnection.sync();
    logs = LogCapture.start();
  }

  @AfterEach
  void restore() {
    if (weft != null) {
      weft.close();
    }
    logs.close();
    redis.configSet("maxmemory-policy", "noeviction");
    redis.configSet("maxmemory", "0");
    redis.aclDeluser("app");
    adminConnection.close();
    admin.shutdown();
  }

  @Test
  void start_allkeysPolicy_warnsOnceNamingEveryPattern() throws Exception {
    limitMemory("allkeys-lru");

    start(server.url());

    List<String> warnings = warnings();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains("maxmemory-policy allkeys-lru", "maxmemory 104857600")
        .contains("locks", "rate limits", "sessions", "queues", "streams", "write-behind",
            "counters", "leaderboards", "Bloom filters")
        .contains("noeviction", "Redis instance of their own");
  }

  @Test
  void start_volatilePolicy_warnsOnceNamingKeysWithTtl() throws Exception {
    limitMemory("volatile-lru");

    start(server.url());

    List<String> warnings = warnings();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains("maxmemory-policy volatile-lru", "keys that have a TTL")
        .contains("held distributed locks", "fencing", "load locks", "rate limits", "sessions")
        .contains("noeviction")
        .doesNotContain("queues");
  }

  @Test
  void start_noeviction_saysNothing() throws Exception {
    limitMemory("noeviction");

    start(server.url());

    assertThat(warnings()).isEmpty();
  }

  @Test
  void start_allkeysPolicyWithoutMaxmemory_saysNothing() throws Exception {
    redis.configSet("maxmemory-policy", "allkeys-lru");
    redis.configSet("maxmemory", "0");

    start(server.url());

    assertThat(warnings()).isEmpty();
  }

  @Test
  void start_userWithoutConfig_readsInfoAndWarns() throws Exception {
    limitMemory("allkeys-lfu");
    redis.aclSetuser("app", AclSetuserArgs.Builder.on().addPassword("pw-9").allKeys()
        .allChannels().allCommands().removeCommand(io.lettuce.core.protocol.CommandType.CONFIG));

    start("redis://app:pw-9@" + server.host() + ":" + server.port());

    assertThat(warnings()).singleElement().asString().contains("allkeys-lfu");
    assertThat(weft.cached("k", Duration.ofMinutes(1), String.class, () -> "v")).isEqualTo("v");
    assertThat(redis.get("k")).isEqualTo("\"v\"");
  }

  @Test
  void start_userWithoutInfoOrConfig_staysQuietAndWorks() throws Exception {
    limitMemory("allkeys-lru");
    redis.aclSetuser("app", AclSetuserArgs.Builder.on().addPassword("pw-9").allKeys()
        .allChannels().allCommands()
        .removeCommand(io.lettuce.core.protocol.CommandType.CONFIG)
        .removeCommand(io.lettuce.core.protocol.CommandType.INFO));

    start("redis://app:pw-9@" + server.host() + ":" + server.port());

    assertThat(warnings()).isEmpty();
    assertThat(logs.lines("WARN", "dev.weft.")).isEmpty();
    assertThat(weft.cached("k", Duration.ofMinutes(1), String.class, () -> "v")).isEqualTo("v");
    assertThat(redis.get("k")).isEqualTo("\"v\"");
  }

  private void limitMemory(String policy) {
    redis.configSet("maxmemory", "100mb");
    redis.configSet("maxmemory-policy", policy);
  }

  /** Builds the runtime, uses it, and waits until its start-up check has run. */
  private void start(String url) throws Exception {
    weft = Weft.builder().redisUrl(url).build();
    WeftAccess.redis(weft).evictionChecked().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 3; i++) {
      weft.cached("warm:" + i, Duration.ofMinutes(1), String.class, () -> "w");
    }
  }

  private List<String> warnings() {
    return logs.lines("WARN", "dev.weft.").stream().filter(l -> l.contains(WARNING)).toList();
  }
}
