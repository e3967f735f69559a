package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.Cached;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import example.plain.LoggingApp;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLogger;

/**
 * Where weft-core's log lines go under the agent: to the application's own SLF4J backend when it
 * has one, else to the platform logger (java.util.logging), and never through warnings of SLF4J's
 * about the agent's packaging. {@link LoggingApp} makes weft-core warn: the test overwrites its
 * {@code @Cached} entry with text that is not JSON, and connecting to Redis is logged at INFO.
 */
@Tag("redis")
@WeftRedis
class AgentLoggingIT {

  private static final String CORRUPT_WARNING = "does not read as";

  @Test
  void appWithoutLoggingBackend_getsWeftsWarningsFromThePlatformLogger_andNoSlf4jWarnings(
      RedisServer server) throws Exception {
    AgentJvm.Run run = runLoggingApp(server, List.of());

    assertThat(run.facts()).as(run.output()).containsEntry("done", "true")
        .containsEntry("calls", "1");
    assertThat(run.output()).doesNotContain("SLF4J");
    assertThat(run.output())
        .containsPattern("(?m)^WARNING: example\\.plain\\.LoggingApp\\.value\\(String\\): the entry"
            + " 'corrupt:[-0-9a-f]+' " + CORRUPT_WARNING)
        .containsPattern("(?m)^INFO: Weft connected to Redis at ");
  }

  /**
   * slf4j-api without a provider, as a library may bring it: Weft does not initialize that SLF4J
   * (which would print its "no providers" warning) and logs through the platform logger.
   */
  @Test
  void appWithSlf4jApiButNoBackend_isNotMadeToWarnByWeft(RedisServer server) throws Exception {
    AgentJvm.Run run = runLoggingApp(server, List.of(AgentJvm.location(LoggerFactory.class)));

    assertThat(run.facts()).as(run.output()).containsEntry("done", "true");
    assertThat(run.output()).doesNotContain("SLF4J");
    assertThat(run.output()).containsPattern("(?m)^WARNING: .*" + CORRUPT_WARNING);
  }

  @Test
  void appWithItsOwnSlf4jBackend_getsWeftsLinesThroughIt(RedisServer server) throws Exception {
    List<String> logging = List.of(
        AgentJvm.location(LoggerFactory.class), AgentJvm.location(SimpleLogger.class));
    AgentJvm.Run run = runLoggingApp(server, logging);

    assertThat(run.facts()).as(run.output()).containsEntry("done", "true")
        .containsEntry("calls", "1");
    assertThat(run.output()).doesNotContain("SLF4J(");
    assertThat(run.output())
        .as("slf4j-simple's format: [thread] LEVEL logger - message")
        .containsPattern("(?m)^\\[[^]]+] WARN dev\\.weft\\.internal\\.cache\\.CacheAside -"
            + " example\\.plain\\.LoggingApp\\.value\\(String\\): the entry 'corrupt:[-0-9a-f]+' "
            + CORRUPT_WARNING)
        .containsPattern("(?m)^\\[[^]]+] INFO dev\\.weft\\.internal\\.redis\\.RedisGateway -"
            + " Weft connected to Redis at ")
        .doesNotContain("WARNING: ");
  }

  private static AgentJvm.Run runLoggingApp(RedisServer server, List<String> logging)
      throws Exception {
    String key = UUID.randomUUID().toString();
    try (RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().set("corrupt:" + key, "not json");
    }
    List<String> classPath = new ArrayList<>();
    classPath.add(AgentJvm.location(LoggingApp.class));
    classPath.add(AgentJvm.location(Cached.class));
    classPath.addAll(logging);
    AgentJvm.Run run = AgentJvm.run(server.url(), classPath, LoggingApp.class.getName(), key);
    assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
    return run;
  }
}
