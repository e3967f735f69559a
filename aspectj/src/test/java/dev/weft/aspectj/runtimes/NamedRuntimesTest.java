package dev.weft.aspectj.runtimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Weft;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.annotation.Counted;
import dev.weft.aspectj.Mode;
import dev.weft.aspectj.WovenRedisTest;
import dev.weft.counter.Counter;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.Granularity;
import dev.weft.test.Await;
import dev.weft.test.RedisLauncher;
import dev.weft.test.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several runtimes in one process: woven methods that name their runtime ({@code runtime = ...})
 * read and write only that runtime's Redis, under only its key prefix, though every method here
 * caches under the same key text. Two real servers: the class's, and a second one started here.
 * Naming a runtime is what the annotations do, so the programmatic mode skips this class.
 */
class NamedRuntimesTest extends WovenRedisTest {

  private static RedisServer otherServer;
  private static RedisClient otherClient;
  private static StatefulRedisConnection<String, String> otherConnection;
  private static RedisCommands<String, String> other;
  private static Weft home;
  private static Weft otherWeft;
  private static Weft one;
  private static Weft two;

  private Ledgers ledgers;

  @BeforeAll
  static void startRuntimes(RedisServer server) {
    assumeTrue(Mode.annotated(), "runtimes are named by annotations");
    otherServer = RedisLauncher.startStandalone();
    otherClient = RedisClient.create(otherServer.url());
    otherConnection = otherClient.connect();
    other = otherConnection.sync();
    home = Weft.builder().name(Ledgers.HOME).redisUrl(server.url()).keyPrefix("").build();
    otherWeft = Weft.builder()
        .name(Ledgers.OTHER_SERVER).redisUrl(otherServer.url()).keyPrefix("").build();
    one = Weft.builder().name(Ledgers.PREFIX_ONE).redisUrl(server.url()).keyPrefix("one").build();
    two = Weft.builder().name(Ledgers.PREFIX_TWO).redisUrl(server.url()).keyPrefix("two").build();
  }

  @AfterAll
  static void stopRuntimes() {
    for (Weft each : Arrays.asList(home, otherWeft, one, two)) {
      if (each != null) {
        each.close();
      }
    }
    if (otherConnection != null) {
      otherConnection.close();
      otherClient.shutdown();
      otherServer.close();
    }
  }

  @BeforeEach
  void emptyTheOtherServer() {
    other.flushall();
    ledgers = new Ledgers();
  }

  @Test
  void twoRedisServers_sameKey_eachRuntimeSeesOnlyItsOwnEntry() {
    String atHome = ledgers.home("7");
    String elsewhere = ledgers.otherServer("7");

    assertThat(elsewhere).as("not the home server's entry").isEqualTo("other server balance 7 #2");
    assertThat(ledgers.home("7")).isEqualTo(atHome);
    assertThat(ledgers.otherServer("7")).isEqualTo(elsewhere);
    assertThat(ledgers.loads).as("one load per runtime, then hits").hasValue(2);
    assertThat(redis.exists("balance:7")).isEqualTo(1);
    assertThat(other.exists("balance:7")).isEqualTo(1);
    assertThat(other.dbsize()).as("the home entry never reached the other server").isEqualTo(1);
  }

  @Test
  void invalidateOnOneServer_leavesTheOtherServersEntry() {
    ledgers.home("7");
    ledgers.otherServer("7");

    ledgers.resetOtherServer("7");

    assertThat(other.exists("balance:7")).isZero();
    assertThat(redis.exists("balance:7")).isEqualTo(1);
    assertThat(ledgers.home("7")).as("still a hit").isEqualTo("home balance 7 #1");
    assertThat(ledgers.otherServer("7")).as("loaded again").isEqualTo("other server balance 7 #3");
  }

  @Test
  void sameServerAndPrefix_namedAndGlobalRuntimeShareTheEntry() {
    String atHome = ledgers.home("7");

    assertThat(ledgers.global("7")).isEqualTo(atHome);
    assertThat(ledgers.loads).hasValue(1);
  }

  @Test
  void twoKeyPrefixes_oneServer_eachRuntimeSeesOnlyItsOwnEntry() {
    String first = ledgers.prefixOne("7");
    String second = ledgers.prefixTwo("7");

    assertThat(second).isEqualTo("two balance 7 #2");
    assertThat(ledgers.prefixOne("7")).isEqualTo(first);
    assertThat(ledgers.prefixTwo("7")).isEqualTo(second);
    assertThat(ledgers.loads).hasValue(2);
    assertThat(redis.exists("one:balance:7", "two:balance:7")).isEqualTo(2);
    assertThat(redis.exists("balance:7")).as("no entry without a prefix").isZero();
    assertThat(ledgers.home("7")).as("the unprefixed runtime misses")
        .isEqualTo("home balance 7 #3");
  }

  @Test
  void counted_countsOnItsRuntimesServer() {
    ledgers.deposit();
    ledgers.deposit();

    Counter there = calls(otherWeft);
    Counter here = calls(home);
    long[] seen = {0};
    Await.until(Duration.ofSeconds(10), () -> "2 deposits counted, seen " + seen[0],
        () -> (seen[0] = total(there, "deposits")) == 2);
    assertThat(total(here, "deposits")).isZero();
  }

  @Test
  void runtimeNotBuiltYet_callFailsNamingTheFix_thenUsesItOnceBuilt(RedisServer server) {
    assertThatThrownBy(() -> ledgers.late("7"))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("@Cached(runtime = \"ledgers-late\") on ")
        .hasMessageContaining("Ledgers.late(String)")
        .hasMessageContaining("Weft.builder().name(\"ledgers-late\")");
    assertThat(ledgers.loads).as("nothing ran").hasValue(0);

    try (Weft late =
        Weft.builder().name(Ledgers.LATE).redisUrl(server.url()).keyPrefix("late").build()) {
      assertThat(ledgers.late("7")).isEqualTo("late balance 7 #1");
      assertThat(ledgers.late("7")).isEqualTo("late balance 7 #1");
      assertThat(redis.exists("late:balance:7")).isEqualTo(1);
      Counter reads = calls(late);
      long[] seen = {0};
      Await.until(Duration.ofSeconds(10), () -> "2 reads counted on its runtime, seen " + seen[0],
          () -> (seen[0] = total(reads, "late-reads")) == 2);
    }
  }

  @Test
  void twoRuntimesOnOneMethod_configurationErrorBeforeAnythingRuns() {
    assertThatThrownBy(() -> ledgers.twoRuntimes("7"))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("@Counted(runtime = \"ledgers-other-server\")")
        .hasMessageContaining("names another runtime than @Cached(runtime = \"ledgers-home\")");
    assertThat(ledgers.loads).hasValue(0);
  }

  @Test
  void runtimeName_invalidOrTaken_refusedByBuild_closingFreesIt(RedisServer server) {
    assertThatThrownBy(() -> Weft.builder().name("ledgers eu").redisUrl(server.url()).build())
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("Weft.builder().name(\"ledgers eu\"): a runtime's name must be 1 to"
            + " 64 letters, digits, '.', '_' or '-'");
    assertThatThrownBy(() -> Weft.builder().name(Ledgers.HOME).redisUrl(server.url()).build())
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("a runtime named \"ledgers-home\" is already open")
        .hasMessageContaining("close it");

    Weft.builder().name("ledgers-scratch").redisUrl(server.url()).build().close();
    try (Weft again = Weft.builder().name("ledgers-scratch").redisUrl(server.url()).build()) {
      assertThat(again.name()).isEqualTo("ledgers-scratch");
    }
  }

  private static Counter calls(Weft weft) {
    return weft.counter(Counted.DEFAULT_NAME, CounterOptions.defaults().granularity(Granularity.MINUTE));
  }

  private static long total(Counter counter, String key) {
    Instant now = Instant.now();
    return counter.total(key, now.minus(Duration.ofHours(2)), now.plus(Duration.ofHours(2)));
  }
}
