package dev.weft.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.annotation.Cached;
import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.annotation.RateLimited;
import dev.weft.annotation.RateLimited.OnRedisFailure;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.redis.FailureKind;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.RedisUnavailableException;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimiter;
import dev.weft.test.Await;
import dev.weft.test.RedisLauncher;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.weft.weaving.MethodPlan;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "Redis error replies silently lift rate limits": a real Redis 7 answers {@code OOM}
 * (at {@code maxmemory} under {@code noeviction}), {@code READONLY} (made a replica with {@code
 * REPLICAOF}), {@code NOPERM} (an ACL user without a key or command right) and {@code NOAUTH} (a
 * password set after Weft connected, then its connection killed). For each, every annotation
 * applies its failure policy, as for a lost connection: {@code @Cached} calls the method and
 * returns its value, {@code @RateLimited} allows or denies as its {@code onRedisFailure} says, the
 * programmatic {@link RateLimiter} throws {@link RedisUnavailableException} (its caller's policy),
 * locks fail closed; and the gateway logs one WARN naming the fix, not one per call, and counts
 * {@code weft.redis.errors} by kind. Before the fix, {@code OOM} let 10 of 10 calls of a 2-per-hour
 * limit through with nothing logged above DEBUG.
 *
 * <p>The annotated methods run through {@link MethodPlan#around}, as the aspect and the agent run
 * them. Each test puts the server back as it found it.
 */
@WeftRedis
class RedisErrorRepliesTest {

  private static final String PASSWORD = "s3cret-Pa55-7f1c";
  private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

  private static RedisServer primary;
  private static RedisClient adminClient;

  private final Fixture fixture = new Fixture();
  private final Map<String, MethodPlan> plans = new HashMap<>();
  private StatefulRedisConnection<String, String> adminConnection;
  private RedisCommands<String, String> admin;
  private String maxmemoryPolicy;
  private Weft weft;
  private Weft previous;
  private LogCapture logs;
  private final Map<FailureKind, Double> errorsAtStart = new HashMap<>();

  @BeforeAll
  static void startPrimaryAndMeters(RedisServer server) {
    Metrics.addRegistry(METERS);
    primary = RedisLauncher.startStandalone();
    adminClient = RedisClient.create(server.url());
    try (StatefulRedisConnection<String, String> c = adminClient.connect(primary.uri())) {
      // a replica's first sync starts at once, not after the default 5 s
      c.sync().configSet("repl-diskless-sync-delay", "0");
    }
  }

  @AfterAll
  static void stopPrimaryAndMeters() {
    Metrics.removeRegistry(METERS);
    if (adminClient != null) {
      adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (primary != null) {
      primary.close();
    }
  }

  @BeforeEach
  void connectAdmin() {
    adminConnection = adminClient.connect();
    admin = adminConnection.sync();
    maxmemoryPolicy = admin.configGet("maxmemory-policy").get("maxmemory-policy");
    logs = LogCapture.start();
    for (FailureKind kind : FailureKind.values()) {
      errorsAtStart.put(kind, errors(kind));
    }
  }

  /** Puts the server back: no memory limit, a master, no password, no extra ACL user. */
  @AfterEach
  void restore() {
    logs.close();
    try {
      if (previous != null) {
        Weft.install(previous);
      }
      if (weft != null) {
        weft.close();
      }
    } finally {
      admin.configSet("requirepass", "");
      admin.replicaofNoOne();
      admin.configSet("maxmemory", "0");
      admin.configSet("maxmemory-policy", maxmemoryPolicy);
      admin.aclDeluser("limited");
      admin.flushall();
      adminConnection.close();
    }
  }

  @Test
  void oom_cachedCallsThrough_limitsApplyTheirPolicy_locksFailClosed_oneWarnNamesTheMemoryPolicy(
      RedisServer server) {
    start(server.url());
    admin.configSet("maxmemory-policy", "noeviction");
    long used = Long.parseLong(memoryInfo("used_memory"));
    admin.configSet("maxmemory", Long.toString(used + 1024 * 1024));
    String value = "x".repeat(64 * 1024);
    boolean full = false;
    for (int i = 0; i < 1_000 && !full; i++) {
      try {
        admin.set("fill:" + i, value);
      } catch (RedisCommandExecutionException e) {
        assertThat(e).hasMessageStartingWith("OOM");
        full = true;
      }
    }
    assertThat(full).as("the server answers OOM once full").isTrue();
    // the write that failed was a large one: keep even small ones out, whatever the buffers do
    long filled = Long.parseLong(memoryInfo("used_memory"));
    admin.configSet("maxmemory", Long.toString(filled - 256 * 1024));

    eachPolicyApplies(FailureKind.OOM, "maxmemory-policy noeviction");

    assertThat(WeftAccess.redis(weft).state())
        .as("OOM does not open the breaker: reads are still served")
        .isEqualTo(RedisGateway.State.CLOSED);
    int loads = fixture.loads.get();
    assertThat(call("price", "warm-up")).isEqualTo(8900L);
    assertThat(fixture.loads).as("an entry written before is still a hit").hasValue(loads);
  }

  @Test
  void readonly_eachPolicyApplies_andTheConnectionIsReopened(RedisServer server) {
    start(server.url());
    long connectionsBefore = connectionsReceived();
    admin.replicaof(primary.host(), primary.port());
    Await.until(
        Duration.ofSeconds(10),
        () -> "the server is a synchronised replica",
        () -> admin.info("replication").contains("master_link_status:up"));

    eachPolicyApplies(FailureKind.READONLY, "connected to a replica (failover?)");

    assertThat(connectionsReceived())
        .as("the gateway dropped the connection that reached a replica and opened a new one")
        .isGreaterThan(connectionsBefore);
    admin.replicaofNoOne();
    Await.until(
        Duration.ofSeconds(15),
        () -> "Weft takes locks again once the server is a master",
        () -> {
          try {
            weft.lock("after-failover").tryAcquire().ifPresent(lease -> lease.close());
            return true;
          } catch (LockNotAcquiredException e) {
            return false;
          }
        });
  }

  @Test
  void noperm_onWeftKeys_eachPolicyApplies_andTheWarnNamesTheKeyPatternToGrant(RedisServer server) {
    // keys of the cached method only: Weft's own keys (limits, locks, load locks) are refused
    admin.aclSetuser(
        "limited",
        io.lettuce.core.AclSetuserArgs.Builder.on()
            .addPassword(PASSWORD)
            .keyPattern("price:*")
            .allChannels()
            .allCommands());
    start(withUser(server, "limited"));

    eachPolicyApplies(FailureKind.NOPERM, "ACL SETUSER limited ~weft:*");

    assertThat(WeftAccess.redis(weft).state())
        .as("NOPERM does not open the breaker: what the ACL grants is still served")
        .isEqualTo(RedisGateway.State.CLOSED);
  }

  /**
   * A defect is not an outage: a limiter's key that another program turned into a list makes the
   * limit fail with Redis's own exception, even under {@code onRedisFailure = ALLOW}, instead of
   * lifting it.
   */
  @Test
  void wrongTypeOnALimitKey_isADefect_thatSurfaces_evenWhenTheFailurePolicyAllows(
      RedisServer server) {
    start(server.url());
    assertThat(call("allowOnFailure", "user-2")).isEqualTo("allowed");
    List<String> keys = admin.keys("weft:rl:*user-2*");
    assertThat(keys).isNotEmpty();
    for (String key : keys) {
      admin.del(key);
      admin.lpush(key, "not a limiter");
    }

    assertThatThrownBy(() -> call("allowOnFailure", "user-2"))
        .isInstanceOf(RedisCommandExecutionException.class)
        .isNotInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("WRONGTYPE");
    assertThat(WeftAccess.redis(weft).state()).isEqualTo(RedisGateway.State.CLOSED);
    assertThat(errors(FailureKind.WRONGTYPE)).isGreaterThan(errorsAtStart.get(FailureKind.WRONGTYPE));
  }

  @Test
  void noperm_onACommand_theLimiterThrowsUnavailable_andTheWarnNamesTheCommandToGrant(
      RedisServer server) {
    admin.aclSetuser(
        "limited",
        io.lettuce.core.AclSetuserArgs.Builder.on()
            .addPassword(PASSWORD)
            .allKeys()
            .allChannels()
            .allCommands()
            .removeCommand(io.lettuce.core.protocol.CommandType.EVALSHA));
    start(withUser(server, "limited"));
    RateLimiter limiter = limiter();

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> limiter.tryAcquire("user-1"))
          .isInstanceOfSatisfying(
              RedisUnavailableException.class,
              e -> assertThat(e.kind()).isEqualTo(FailureKind.NOPERM));
    }
    assertThat(fixWarnings(FailureKind.NOPERM))
        .singleElement()
        .asString()
        .contains("ACL SETUSER limited +evalsha");
    assertThat(logs.lines()).noneMatch(line -> line.contains(PASSWORD));
  }

  @Test
  void noauth_afterThePasswordChanged_eachPolicyApplies_andTheWarnSaysTheCredentialsAreWrong(
      RedisServer server) {
    start(server.url());
    admin.configSet("requirepass", PASSWORD);
    admin.clientKill(io.lettuce.core.KillArgs.Builder.typeNormal());

    eachPolicyApplies(FailureKind.NOAUTH, "the password/ACL user is wrong or was rotated");

    assertThat(WeftAccess.redis(weft).state())
        .as("no command can run: the breaker opened")
        .isNotEqualTo(RedisGateway.State.CLOSED);
    assertThat(METERS.get("weft.redis.breaker.state").tag("server", server.url()).gauge().value())
        .as("the breaker's gauge: 1 half-open, 2 open")
        .isGreaterThan(0);
  }

  /**
   * Calls each pattern a few times while the server answers {@code kind}, and checks that each
   * applied its policy, that one WARN (since the test began) named the fix, and that the errors
   * were counted.
   */
  private void eachPolicyApplies(FailureKind kind, String fix) {
    RateLimiter limiter = limiter();
    for (int i = 0; i < 5; i++) {
      int loads = fixture.loads.get();
      assertThat(call("price", "p" + i)).as("@Cached returns the method's value").isEqualTo(8900L);
      assertThat(fixture.loads).as("the method ran").hasValue(loads + 1);

      assertThat(call("allowOnFailure", "user-1"))
          .as("onRedisFailure = ALLOW: more calls than the 2 permits run")
          .isEqualTo("allowed");

      assertThatThrownBy(() -> call("denyOnFailure", "user-1"))
          .as("onRedisFailure = DENY")
          .isInstanceOfSatisfying(
              RateLimitExceededException.class,
              e -> assertThat(e).hasCauseInstanceOf(RedisUnavailableException.class));

      assertThatThrownBy(() -> limiter.tryAcquire("user-1"))
          .as("the programmatic limiter leaves the policy to its caller")
          .isInstanceOf(RedisUnavailableException.class);

      int jobs = fixture.jobs.get();
      assertThatThrownBy(() -> call("job", "j1"))
          .as("@DistributedLock fails closed")
          .isInstanceOf(LockNotAcquiredException.class);
      assertThat(fixture.jobs).as("the guarded method did not run").hasValue(jobs);
      assertThatThrownBy(() -> weft.lock("j2").tryAcquire())
          .as("a programmatic lock fails closed")
          .isInstanceOf(LockNotAcquiredException.class);
    }
    // a NOAUTH is known only when Lettuce's reconnect fails its handshake, in the background
    Await.until(
        Duration.ofSeconds(10), () -> "a WARN about " + kind, () -> !fixWarnings(kind).isEmpty());
    assertThat(fixWarnings(kind))
        .as("one WARN for %s during 30 calls", kind)
        .singleElement()
        .asString()
        .contains(fix);
    assertThat(logs.lines()).noneMatch(line -> line.contains(PASSWORD));
    assertThat(errors(kind)).as("weft.redis.errors{kind=%s}", kind.tag()).isGreaterThan(errorsAtStart.get(kind));
  }

  /** @return the WARNs about {@code kind} since the test began */
  private List<String> fixWarnings(FailureKind kind) {
    return logs.lines("WARN", "dev.weft.internal.redis.RedisGateway").stream()
        .filter(line -> line.contains("answered " + kind.name() + ":"))
        .toList();
  }

  private void start(String url) {
    weft = Weft.builder().redisUrl(url).commandTimeout(Duration.ofMillis(500)).build();
    previous = Weft.install(weft);
    assertThat(call("price", "warm-up")).isEqualTo(8900L);
    assertThat(weft.health().up()).isTrue();
  }

  private RateLimiter limiter() {
    return weft.rateLimiter(Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 2, Duration.ofHours(1)));
  }

  private static String withUser(RedisServer server, String user) {
    return "redis://" + user + ":" + PASSWORD + "@" + server.host() + ":" + server.port();
  }

  private static double errors(FailureKind kind) {
    return METERS.find("weft.redis.errors").tag("kind", kind.tag()).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private long connectionsReceived() {
    return Long.parseLong(info("stats", "total_connections_received"));
  }

  private String memoryInfo(String field) {
    return info("memory", field);
  }

  private String info(String section, String field) {
    return admin.info(section).lines()
        .filter(l -> l.startsWith(field + ":"))
        .map(l -> l.substring(field.length() + 1).trim())
        .findFirst()
        .orElseThrow();
  }

  /** The annotated methods. */
  public static class Fixture {
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger jobs = new AtomicInteger();

    @Cached(key = "price:{sku}", ttl = "5m")
    public long price(String sku) {
      loads.incrementAndGet();
      return 8900L;
    }

    @RateLimited(key = "{user}", permits = 2, window = "1h", onRedisFailure = OnRedisFailure.ALLOW)
    public String allowOnFailure(String user) {
      return "allowed";
    }

    @RateLimited(key = "{user}", permits = 2, window = "1h", onRedisFailure = OnRedisFailure.DENY)
    public String denyOnFailure(String user) {
      return "allowed";
    }

    @DistributedLock(key = "{id}")
    public String job(String id) {
      jobs.incrementAndGet();
      return "done";
    }
  }

  private Object call(String name, Object... args) {
    Method method =
        Arrays.stream(Fixture.class.getDeclaredMethods())
            .filter(m -> m.getName().equals(name))
            .findFirst()
            .orElseThrow();
    MethodPlan plan = plans.computeIfAbsent(name, n -> MethodPlan.build(method));
    try {
      return plan.around(
          fixture,
          args,
          a -> {
            try {
              return method.invoke(fixture, a);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }
}
