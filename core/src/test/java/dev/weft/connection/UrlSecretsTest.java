package dev.weft.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.ChildJvm;
import dev.weft.Weft;
import dev.weft.WeftHealth;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.lock.LockLease;
import dev.weft.lock.LockOptions;
import dev.weft.outage.LogCapture;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passwords in Redis URLs: a password with the characters a URL reserves ({@code ^ % , @ :})
 * works when percent-encoded, a URL that cannot be parsed is refused when the runtime is created
 * with the fix in the message, and no message, cause, health report or log line ever shows the
 * password.
 *
 * <p>Regression: with {@code WEFT_REDIS_URL=redis://:pa^ss@host:6379} every call threw {@code
 * IllegalArgumentException: Illegal character in authority ... redis://:pa^ss@...}, and {@code
 * LockNotAcquiredException} repeated it through its cause.
 */
@WeftRedis
class UrlSecretsTest {

  private static final String USER = "weft-special";
  /** Holds every character that has a meaning in a URL's user information. */
  private static final String SECRET = "Pw^7%q,x@y:z-S3cr";
  private static final String ENCODED = "Pw%5E7%25q%2Cx%40y%3Az-S3cr";
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
        AclSetuserArgs.Builder.on().addPassword(SECRET).allKeys().allChannels().allCommands());
  }

  @AfterEach
  void dropUser() {
    redis.aclDeluser(USER);
    adminConnection.close();
    admin.shutdown();
  }

  @Test
  void percentEncodedPassword_withReservedCharacters_cacheLockAndRedlockWork() {
    String url = "redis://" + USER + ":" + ENCODED + "@" + server.host() + ":" + server.port();
    try (LogCapture logs = LogCapture.start();
        Weft weft = Weft.builder().redisUrl(url).redlock(url).commandTimeout(TIMEOUT).build()) {
      AtomicInteger loads = new AtomicInteger();

      weft.cached("special:a", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);
      Integer again =
          weft.cached("special:a", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);
      Optional<LockLease> lease = weft.lock("special:lock").tryAcquire();
      Optional<LockLease> redlock =
          weft.lock("special:redlock", LockOptions.defaults().redlock(true)).tryAcquire();
      WeftHealth health = weft.health();

      assertThat(again).isEqualTo(1);
      assertThat(redis.get("special:a")).isNotNull();
      assertThat(lease).isPresent();
      assertThat(redlock).isPresent();
      lease.get().close();
      redlock.get().close();
      assertThat(health.up()).isTrue();
      assertThat(redis.clientList()).contains("user=" + USER);
      assertThat(weft.redisUrl() + health).doesNotContain(SECRET).doesNotContain(ENCODED);
      assertThat(logs.lines()).noneMatch(UrlSecretsTest::showsSecret);
    }
  }

  @Test
  void redlockListFromTheEnvironment_rawCommaInPassword_staysInItsUrl() {
    String rawComma = ENCODED.replace("%2C", ",");
    String master = "redis://" + USER + ":" + rawComma + "@" + server.host() + ":" + server.port();
    System.setProperty("weft.redlock.urls", master + "/0," + master + "/1");
    try (LogCapture logs = LogCapture.start();
        Weft weft =
            Weft.builder().redisUrl(server.url()).commandTimeout(TIMEOUT).build()) {
      Optional<LockLease> redlock =
          weft.lock("special:env-redlock", LockOptions.defaults().redlock(true)).tryAcquire();

      assertThat(redlock).isPresent();
      redlock.get().close();
      assertThat(logs.lines()).noneMatch(line -> line.contains(rawComma));
    } finally {
      System.clearProperty("weft.redlock.urls");
    }
  }

  @Test
  void unencodedReservedCharacterInPassword_failsAtBuild_withTheFix_andWithoutTheSecret() {
    String[][] cases = {
      {"redis://:pa^ss-S3cr@" + server.host() + ":" + server.port(), "%5E", "pa^ss-S3cr"},
      {"redis://:pa%ss-S3cr@" + server.host() + ":" + server.port(), "%25", "pa%ss-S3cr"},
      {"redis://u:pa@ss-S3cr@" + server.host() + ":" + server.port(), "%40", "pa@ss-S3cr"},
      {"redis://u:pa ss-S3cr@" + server.host() + ":" + server.port(), "%20", "pa ss-S3cr"},
    };
    for (String[] c : cases) {
      try (LogCapture logs = LogCapture.start()) {
        Throwable failure = catchThrowable(() -> Weft.builder().redisUrl(c[0]).build().close());

        assertThat(failure).as(c[0]).isInstanceOf(WeftConfigurationException.class);
        assertThat(failure.getMessage())
            .contains("Weft.builder().redisUrl")
            .contains(c[1])
            .contains("percent-encode");
        assertNowhere(failure, c[2]);
        assertThat(logs.lines()).noneMatch(line -> line.contains(c[2]));
      }
    }
  }

  @Test
  void unparseableRedlockUrl_failsAtBuild_namingTheSetting_withoutTheSecret() {
    String good = "redis://" + server.host() + ":" + server.port();
    String bad = "redis://:red^lock-S3cr@" + server.host() + ":" + server.port();

    Throwable failure =
        catchThrowable(() -> Weft.builder().redisUrl(good).redlock(good, bad).build().close());

    assertThat(failure).isInstanceOf(WeftConfigurationException.class);
    assertThat(failure.getMessage()).contains("Weft.builder().redlock").contains("%5E");
    assertNowhere(failure, "red^lock-S3cr");
  }

  @Test
  void unreachableServer_lockFailureHealthAndLogs_neverShowThePassword() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    String url = "redis://" + USER + ":" + ENCODED + "@127.0.0.1:" + port;
    try (LogCapture logs = LogCapture.start();
        Weft weft =
            Weft.builder().redisUrl(url).redlock(url).commandTimeout(Duration.ofMillis(300))
                .connectTimeout(Duration.ofMillis(300)).build()) {

      Throwable plain = catchThrowable(() -> weft.lock("gone").acquire(Duration.ZERO));
      Throwable redlock =
          catchThrowable(
              () ->
                  weft.lock("gone", LockOptions.defaults().redlock(true))
                      .acquire(Duration.ZERO));
      WeftHealth health = weft.health();

      assertThat(plain).isInstanceOf(LockNotAcquiredException.class);
      assertThat(redlock).isInstanceOf(LockNotAcquiredException.class);
      assertNowhere(plain, SECRET);
      assertNowhere(plain, ENCODED);
      assertNowhere(redlock, SECRET);
      assertNowhere(redlock, ENCODED);
      assertThat(health.up()).isFalse();
      assertThat(health.toString()).doesNotContain(SECRET).doesNotContain(ENCODED);
      assertThat(logs.lines()).noneMatch(UrlSecretsTest::showsSecret);
    }
  }

  @Test
  void globalRuntime_withUnparseableUrl_everyCallGetsTheConfigurationError_loggedOnce(
      @TempDir Path dir) throws Exception {
    Path log = dir.resolve("child.log");
    Process child =
        ChildJvm.start(GlobalRuntimeChild.class, log, "redis://:glo^bal-S3cr@127.0.0.1:6379");
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);

    assertThat(output.lines().filter(l -> l.startsWith("CALL ")))
        .hasSize(3)
        .allMatch(l -> l.contains("WeftConfigurationException") && l.contains("weft.redis.url")
            && l.contains("%5E"));
    assertThat(output.lines().filter(l -> l.contains("ERROR dev.weft"))).hasSize(1);
    assertThat(output).doesNotContain("glo^bal-S3cr");
  }

  /** Asks for the global runtime three times with an unparseable {@code weft.redis.url}. */
  public static final class GlobalRuntimeChild {
    public static void main(String[] args) {
      System.setProperty("weft.redis.url", args[0]);
      for (int i = 1; i <= 3; i++) {
        try {
          Weft.global();
          System.out.println("CALL " + i + " OK");
        } catch (RuntimeException e) {
          StringWriter trace = new StringWriter();
          e.printStackTrace(new PrintWriter(trace));
          System.out.println("CALL " + i + " " + e.getClass().getName() + ": " + e.getMessage());
          System.out.println(trace);
        }
      }
      System.out.flush();
      System.exit(0);
    }
  }

  private static boolean showsSecret(String line) {
    return line.contains(SECRET) || line.contains(ENCODED);
  }

  /** Asserts that {@code secret} appears in no message, cause, suppressed or stack trace text. */
  static void assertNowhere(Throwable failure, String secret) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).as("stack trace text").doesNotContain(secret);
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
      assertThat(t.toString()).doesNotContain(secret);
      assertThat(String.valueOf(t.getLocalizedMessage())).doesNotContain(secret);
      for (Throwable s : t.getSuppressed()) {
        assertNowhere(s, secret);
      }
    }
  }
}
