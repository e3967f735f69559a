package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs small fixture classes through JUnit's {@link EngineTestKit} and checks, once they are
 * finished, what {@link WeftRedis @WeftRedis} did with their servers. The fixtures are static
 * nested classes, which Surefire does not run on its own, and are disabled outside of this test.
 */
@Tag("redis")
class ExtensionLifecycleTest {

  private static final Map<Class<?>, RedisServer> SERVERS = new ConcurrentHashMap<>();
  private static volatile boolean runningFixtures;

  @Test
  void eachClass_getsItsOwnServer_closedAfterTheClass() {
    EngineExecutionResults results = runFixtures(FirstFixture.class, SecondFixture.class);

    results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
    RedisServer first = SERVERS.get(FirstFixture.class);
    RedisServer second = SERVERS.get(SecondFixture.class);
    assertThat(first).isNotNull().isNotSameAs(second);
    if (!RedisServer.SOURCE_EXTERNAL.equals(first.source())) {
      assertThat(first.port()).isNotEqualTo(second.port());
    }
    assertClosed(first);
    assertClosed(second);
  }

  @Test
  void failingTest_stillClosesTheServerAfterTheClass() {
    EngineExecutionResults results = runFixtures(FailingFixture.class);

    results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    assertClosed(SERVERS.get(FailingFixture.class));
  }

  private static EngineExecutionResults runFixtures(Class<?>... fixtures) {
    SERVERS.clear();
    runningFixtures = true;
    try {
      return EngineTestKit.engine("junit-jupiter")
          .selectors(
              Arrays.stream(fixtures).map(f -> selectClass(f)).toArray(DiscoverySelector[]::new))
          .execute();
    } finally {
      runningFixtures = false;
    }
  }

  private static void assertClosed(RedisServer server) {
    assertThat(server).as("the fixture ran and recorded its server").isNotNull();
    if (RedisServer.SOURCE_EXTERNAL.equals(server.source())) {
      return;
    }
    assertThat(server.isRunning()).isFalse();
    assertThat(TestRedis.refusesConnections(server.host(), server.port())).isTrue();
  }

  static boolean runningFixtures() {
    return runningFixtures;
  }

  @WeftRedis
  @EnabledIf("dev.weft.test.ExtensionLifecycleTest#runningFixtures")
  static class FirstFixture {
    @Test
    void recordServer(RedisServer server) {
      assertThat(server.isRunning()).isTrue();
      SERVERS.put(FirstFixture.class, server);
    }
  }

  @WeftRedis
  @EnabledIf("dev.weft.test.ExtensionLifecycleTest#runningFixtures")
  static class SecondFixture {
    @Test
    void recordServer(RedisServer server) {
      assertThat(server.isRunning()).isTrue();
      SERVERS.put(SecondFixture.class, server);
    }
  }

  @WeftRedis
  @EnabledIf("dev.weft.test.ExtensionLifecycleTest#runningFixtures")
  static class FailingFixture {
    @Test
    void recordServerAndFail(RedisServer server) {
      SERVERS.put(FailingFixture.class, server);
      throw new AssertionError("this fixture fails on purpose");
    }
  }
}
