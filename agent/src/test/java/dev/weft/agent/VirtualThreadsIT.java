package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import example.virtualthreads.VirtualThreadsApp;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Weft's first calls made from virtual threads, under the agent, each scenario in a fresh JVM
 * ({@link VirtualThreadsApp}) so that plan building, the runtime's start and the first connection
 * all happen while the virtual threads wait: a thousand callers of one {@code @Cached} key, two
 * hundred of one {@code @DistributedLock}. A JFR recording in the child takes every carrier pinned
 * for 20 ms or more; none may have Weft on its stack.
 *
 * <p>Runs in the agent module's executions under the agent, on JDK 17 and on JDK 25 (the child
 * uses this JVM's {@code java}). JDK 17 has no virtual threads: there the tests are skipped.
 */
@WeftRedis
class VirtualThreadsIT {

  @BeforeEach
  void needsVirtualThreads() {
    assumeTrue(Runtime.version().feature() >= 21,
        "virtual threads need Java 21 or later; this JVM is " + Runtime.version()
            + " (the JDK 25 run of the agent's suite runs these tests)");
  }

  @Test
  void thousandVirtualThreads_oneCachedKey_firstCallsOfTheProcess_bodyRunsOnce_allGetTheValue(
      RedisServer server) throws Exception {
    AgentJvm.Run run = runApp(server, "cached", "1000");

    assertThat(run.facts()).as(run.output()).containsEntry("done", "true");
    assertThat(run.facts()).as(run.output())
        .containsEntry("cached.errors", "0 ")
        .containsEntry("cached.loads", "1")
        .containsEntry("cached.values", "{price-of-sku-1=1000}");
    assertNoCarrierPinnedInWeft(run);
    try (RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> c = client.connect()) {
      assertThat(c.sync().get("vt:price:sku-1")).isEqualTo("\"price-of-sku-1\"");
    }
  }

  @Test
  void twoHundredVirtualThreads_oneDistributedLock_firstCallsOfTheProcess_oneBodyAtATime(
      RedisServer server) throws Exception {
    AgentJvm.Run run = runApp(server, "lock", "200");

    assertThat(run.facts()).as(run.output()).containsEntry("done", "true");
    assertThat(run.facts()).as(run.output())
        .containsEntry("lock.errors", "0 ")
        .containsEntry("lock.posted", "200")
        .containsEntry("lock.mostInside", "1");
    assertNoCarrierPinnedInWeft(run);
  }

  /** The control of the two above: the recording does see a carrier pinned for 80 ms. */
  @Test
  void recording_seesAVirtualThreadPinnedInAClassInitializer(RedisServer server) throws Exception {
    AgentJvm.Run run = runApp(server, "pin");

    assertThat(run.facts()).as(run.output())
        .containsEntry("done", "true")
        .containsEntry("pin.initialized", "true")
        .containsEntry("pinned.initializer", "true");
  }

  private static void assertNoCarrierPinnedInWeft(AgentJvm.Run run) {
    assertThat(run.facts())
        .as("virtual threads pinned to their carrier for 20 ms or more with a dev.weft frame on"
            + " the stack; the child said:%n%s", run.output())
        .containsEntry("pinned.weft", "0");
  }

  private static AgentJvm.Run runApp(RedisServer server, String... args) throws Exception {
    AgentJvm.Run run = AgentJvm.runWithoutAgent(
        server.url(),
        // A 10 s command timeout, as the multi-JVM children have: with the default 1 s, on a
        // loaded 2-core machine the cold first connect outlasts it while a thousand callers wait,
        // Weft takes Redis for down and @Cached fails open (every caller loads).
        List.of("-javaagent:" + AgentJvm.agentJar(), "-XX:FlightRecorderOptions:stackdepth=256",
            "-Dweft.redis.timeout=10s"),
        List.of(System.getProperty("java.class.path")),
        VirtualThreadsApp.class.getName(), args);
    assertThat(run.exitCode()).as(run.output()).isZero();
    Map<String, String> facts = run.facts();
    assertThat(facts).as(run.output()).containsKey("pinned.count");
    return run;
  }
}
