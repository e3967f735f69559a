package dev.weft.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.WeftHealth;
import dev.weft.lock.LockLease;
import dev.weft.outage.LogCapture;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An ACL user with a password, given in the URL or by a credentials supplier, and a password
 * rotated on the server while the runtime runs.
 */
@WeftRedis
class AclCredentialsTest {

  private static final String USER = "weft-app";
  private static final String FIRST = "first-S3cret-9f2a";
  private static final String SECOND = "second-S3cret-71bd";
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private RedisServer server;
  private RedisClient admin;
  private StatefulRedisConnection<String, String> adminConnection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void createUser(RedisServer server) {
    this.server = server;
    admin = RedisClient.create(server.url());
    adminConnection = admin.connect();
    redis = adminConnection.sync();
    redis.aclSetuser(
        USER,
        AclSetuserArgs.Builder.on().addPassword(FIRST).allKeys().allChannels().allCommands());
  }

  @AfterEach
  void dropUser() {
    redis.aclDeluser(USER);
    adminConnection.close();
    admin.shutdown();
  }

  @Test
  void userAndPasswordInTheUrl_cacheAndLockWork_andThePasswordIsNeverShown() {
    String url = "redis://" + USER + ":" + FIRST + "@" + server.host() + ":" + server.port();
    try (LogCapture logs = LogCapture.start();
        Weft weft = Weft.builder().redisUrl(url).commandTimeout(TIMEOUT).build()) {
      AtomicInteger loads = new AtomicInteger();

      weft.cached("acl:a", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);
      Integer again =
          weft.cached("acl:a", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);
      Optional<LockLease> lease = weft.lock("acl:lock").tryAcquire();

      assertThat(again).isEqualTo(1);
      assertThat(lease).isPresent();
      lease.get().close();
      assertThat(redis.clientList()).contains("user=" + USER);
      assertThat(weft.redisUrl()).doesNotContain(FIRST).contains(USER);
      assertThat(weft.health().toString()).doesNotContain(FIRST);
      assertThat(logs.lines()).noneMatch(line -> line.contains(FIRST));
    }
  }

  @Test
  void wrongPassword_callsFailOpen_andNeitherMessageNorLogShowsIt() {
    String wrong = "not-the-Password-5c1e";
    String url = "redis://" + USER + ":" + wrong + "@" + server.host() + ":" + server.port();
    try (LogCapture logs = LogCapture.start();
        Weft weft = Weft.builder().redisUrl(url).commandTimeout(TIMEOUT).build()) {
      AtomicInteger loads = new AtomicInteger();

      WeftHealth health = weft.health();
      Integer value =
          weft.cached("acl:b", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);

      assertThat(health.up()).isFalse();
      assertThat(health.problem()).doesNotContain(wrong);
      assertThat(value).isEqualTo(1);
      assertThat(logs.lines()).noneMatch(line -> line.contains(wrong));
    }
  }

  @Test
  void rotatedPassword_isUsedAtTheNextReconnect_withoutARestart() {
    AtomicReference<String> password = new AtomicReference<>(FIRST);
    String url = "redis://" + server.host() + ":" + server.port();
    try (LogCapture logs = LogCapture.start();
        Weft weft =
            Weft.builder()
                .redisUrl(url)
                .commandTimeout(TIMEOUT)
                .credentials(() -> new Weft.Credentials(USER, password.get()))
                .build()) {
      AtomicInteger loads = new AtomicInteger();
      weft.cached("acl:before", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);
      assertThat(redis.get("acl:before")).isEqualTo("1");

      redis.aclSetuser(USER, AclSetuserArgs.Builder.addPassword(SECOND).removePassword(FIRST));
      password.set(SECOND);
      long killed = redis.clientKill(KillArgs.Builder.user(USER));

      assertThat(killed).isPositive();
      Await.until(
          Duration.ofSeconds(10),
          () -> "a call after the rotation to be served by Redis again",
          () -> weft.health().up());
      Integer after =
          weft.cached("acl:after", Duration.ofMinutes(1), Integer.class, () -> 42);
      assertThat(after).isEqualTo(42);
      assertThat(redis.get("acl:after")).isEqualTo("42");
      assertThat(redis.clientList()).contains("user=" + USER);
      assertThat(authenticates(FIRST)).isFalse();
      assertThat(logs.lines())
          .noneMatch(line -> line.contains(FIRST) || line.contains(SECOND));
    }
  }

  private boolean authenticates(String secret) {
    try {
      return "OK".equals(redis.auth(USER, secret)) && List.of(USER).contains(redis.aclWhoami());
    } catch (RedisCommandExecutionException e) {
      return false;
    } finally {
      redis.auth("default", "");
    }
  }
}
