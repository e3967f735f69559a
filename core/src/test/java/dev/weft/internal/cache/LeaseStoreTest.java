package dev.weft.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.redis.RedisGateway;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scripts behind "invalidation wins" ({@link EntryStore}): a load's lease marker at the
 * entry's key, the store that expects it, and readers that take a marker for a miss.
 */
@WeftRedis
class LeaseStoreTest {

  private static final long TTL = 60_000;

  private RedisGateway gateway;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    gateway = new RedisGateway(server.url(), Duration.ofSeconds(2));
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
    redis.flushall();
  }

  @AfterEach
  void close() {
    gateway.close();
    connection.close();
    client.shutdown();
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void lease_onAbsentKey_leavesAMarkerThatReadersTakeForAMiss() {
    byte[] marker = EntryStore.newMarker();

    assertThat(EntryStore.lease(gateway, "k", marker, TTL)).isNull();

    assertThat(redis.get("k")).startsWith("~");
    assertThat(redis.pttl("k")).isBetween(1L, TTL);
    assertThat(EntryStore.isEntry(EntryStore.get(gateway, "k"))).isFalse();
    assertThat(EntryStore.getWithTtl(gateway, "k")).as("cache_read.lua").isNull();
  }

  @Test
  void storeExpectingTheMarker_whileItIsThere_stores() {
    byte[] marker = EntryStore.newMarker();
    EntryStore.lease(gateway, "k", marker, TTL);

    boolean stored = EntryStore.putIf(gateway, "k", json("\"v\""), TTL, List.of("t"), marker);

    assertThat(stored).isTrue();
    assertThat(redis.get("k")).isEqualTo("\"v\"");
    assertThat(redis.zrange("weft:tag:t", 0, -1)).containsExactly("k");
  }

  @Test
  void storeExpectingTheMarker_afterAnInvalidation_isRefused() {
    byte[] marker = EntryStore.newMarker();
    EntryStore.lease(gateway, "k", marker, TTL);

    EntryStore.delete(gateway, "k");
    boolean stored = EntryStore.putIf(gateway, "k", json("\"old\""), TTL, List.of("t"), marker);

    assertThat(stored).isFalse();
    assertThat(redis.exists("k", "weft:tag:t")).isZero();
  }

  @Test
  void storeExpectingTheMarker_afterAWriteThrough_isRefused_theNewerValueStays() {
    byte[] marker = EntryStore.newMarker();
    EntryStore.lease(gateway, "k", marker, TTL);

    EntryStore.put(gateway, "k", json("\"new\""), TTL, List.of());
    boolean stored = EntryStore.putIf(gateway, "k", json("\"old\""), TTL, List.of(), marker);

    assertThat(stored).isFalse();
    assertThat(redis.get("k")).isEqualTo("\"new\"");
  }

  @Test
  void storeExpectingTheMarker_afterTheNamespaceIsRemoved_isRefused() {
    byte[] marker = EntryStore.newMarker();
    EntryStore.lease(gateway, "user:1", marker, TTL);

    assertThat(EntryStore.deleteNamespace(gateway, "user:")).isEqualTo(1);

    assertThat(EntryStore.putIf(gateway, "user:1", json("1"), TTL, List.of(), marker)).isFalse();
    assertThat(redis.exists("user:1")).isZero();
  }

  @Test
  void lease_onAKeyHoldingAValue_returnsTheValue_andTakesNoLease() {
    redis.set("k", "\"v\"");

    byte[] held = EntryStore.lease(gateway, "k", EntryStore.newMarker(), TTL);

    assertThat(new String(held, StandardCharsets.UTF_8)).isEqualTo("\"v\"");
    assertThat(redis.get("k")).isEqualTo("\"v\"");
  }

  @Test
  void lease_onAnotherLoadsMarker_takesItOver_andTheOtherLoadsStoreIsRefused() {
    byte[] first = EntryStore.newMarker();
    byte[] second = EntryStore.newMarker();
    EntryStore.lease(gateway, "k", first, TTL);

    assertThat(EntryStore.lease(gateway, "k", second, TTL)).isNull();

    assertThat(EntryStore.putIf(gateway, "k", json("1"), TTL, List.of(), first)).isFalse();
    assertThat(EntryStore.putIf(gateway, "k", json("2"), TTL, List.of(), second)).isTrue();
    assertThat(redis.get("k")).isEqualTo("2");
  }

  @Test
  void abandon_removesOnlyItsOwnMarker() {
    byte[] mine = EntryStore.newMarker();
    EntryStore.lease(gateway, "k", mine, TTL);
    EntryStore.abandon(gateway, "k", EntryStore.newMarker());
    assertThat(redis.exists("k")).isEqualTo(1);

    EntryStore.abandon(gateway, "k", mine);
    assertThat(redis.exists("k")).isZero();

    redis.set("v", "1");
    EntryStore.abandon(gateway, "v", mine);
    assertThat(redis.get("v")).isEqualTo("1");
  }

  @Test
  void storeWithoutExpectation_writesWhateverTheKeyHolds() {
    EntryStore.lease(gateway, "k", EntryStore.newMarker(), TTL);

    EntryStore.put(gateway, "k", json("3"), TTL, List.of());

    assertThat(redis.get("k")).isEqualTo("3");
  }
}
