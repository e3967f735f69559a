package dev.weft.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.lock.LockLease;
import dev.weft.lock.LockOptions;
import dev.weft.lock.WeftLock;
import dev.weft.test.RedisLauncher;
import dev.weft.test.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redlock over three independent Redis servers, one or two of them stopped. */
class RedlockTest {

  private static final LockOptions REDLOCK = LockOptions.defaults().redlock(true);

  private static final List<RedisServer> servers = new ArrayList<>();

  private Weft weft;
  private ExecutorService others;

  @BeforeAll
  static void startServers() {
    for (int i = 0; i < 3; i++) {
      servers.add(RedisLauncher.startStandalone());
    }
  }

  @AfterAll
  static void stopServers() throws Exception {
    for (RedisServer s : servers) {
      s.close();
    }
    servers.clear();
  }

  @BeforeEach
  void connect() {
    for (RedisServer s : servers) {
      if (!s.isRunning()) {
        s.start();
      }
      s.flushAll();
    }
    weft = Weft.builder()
        .redisUrl(servers.get(0).url())
        .commandTimeout(Duration.ofMillis(500))
        .redlock(servers.stream().map(RedisServer::url).toArray(String[]::new))
        .build();
    others = Executors.newCachedThreadPool();
  }

  @AfterEach
  void close() {
    others.shutdownNow();
    weft.close();
  }

  @Test
  void allMastersUp_lockIsExclusive_andOnEveryMaster() throws Exception {
    WeftLock lock = weft.lock("report", REDLOCK);
    try (LockLease lease = lock.acquire(Duration.ZERO)) {
      assertThat(lease.isHeld()).isTrue();
      for (RedisServer s : servers) {
        assertThat(get(s, "weft:lock:{report}")).isNotNull();
      }
      Optional<LockLease> other = others.submit(() -> lock.tryAcquire(Duration.ofMillis(300)))
          .get(10, TimeUnit.SECONDS);
      assertThat(other).isEmpty();
      assertThatThrownBy(lease::fencingToken)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no fencing token");
    }
    for (RedisServer s : servers) {
      assertThat(get(s, "weft:lock:{report}")).isNull();
    }
  }

  @Test
  void oneMasterStopped_locksStillWork() throws Exception {
    servers.get(2).stop();
    WeftLock lock = weft.lock("one-down", REDLOCK);
    try (LockLease lease = lock.acquire(Duration.ofSeconds(2))) {
      assertThat(lease.isHeld()).isTrue();
      Optional<LockLease> other = others.submit(() -> lock.tryAcquire()).get(10, TimeUnit.SECONDS);
      assertThat(other).isEmpty();
    }
    Optional<LockLease> after = others.submit(() -> lock.tryAcquire()).get(10, TimeUnit.SECONDS);
    assertThat(after).isPresent();
    after.get().close();
  }

  @Test
  void twoMastersStopped_acquisitionFails() {
    servers.get(1).stop();
    servers.get(2).stop();
    assertThatThrownBy(() -> weft.lock("two-down", REDLOCK).acquire(Duration.ofSeconds(1)))
        .isInstanceOf(LockNotAcquiredException.class)
        .hasMessageContaining("2 of 3 Redlock masters failed")
        .hasMessageContaining("fail closed");
    assertThat(get(servers.get(0), "weft:lock:{two-down}"))
        .as("the minority lock was undone").isNull();
  }

  @Test
  void redlockWithoutMasters_saysHowToConfigureThem() {
    try (Weft plain = Weft.builder().redisUrl(servers.get(0).url()).redlock().build()) {
      assertThatThrownBy(() -> plain.lock("x", REDLOCK).tryAcquire())
          .isInstanceOf(LockNotAcquiredException.class)
          .hasMessageContaining("WEFT_REDLOCK_URLS");
    }
  }

  private static String get(RedisServer s, String key) {
    RedisClient client = RedisClient.create(s.url());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return c.sync().get(key);
    } finally {
      client.shutdown();
    }
  }
}
