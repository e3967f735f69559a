package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import example.plain.LateAttachApp;
import example.plain.OwnByteBuddyApp;
import example.plain.PlainApp;
import dev.weft.annotation.Cached;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The agent as a user runs it: {@link PlainApp}, whose class path holds nothing of Weft but
 * weft-annotations, started in a separate JVM with {@code -javaagent:weft-agent.jar}. This module
 * compiles its tests without weft-processor, so their folder has no woven-classes index and the
 * agent finds the annotated methods by matching every class ({@link WovenIndexIT} runs classes
 * compiled with the processor).
 */
@Tag("redis")
@WeftRedis
class AgentIT {

  @Test
  void plainApp_underTheAgent_cachesLikeCompileTimeWeaving(RedisServer server) throws Exception {
    Map<String, String> out = runPlainApp(server.url());

    assertThat(out).containsEntry("done", "true");
    assertThat(out).containsEntry("product.equal", "true").containsEntry("product.calls", "1");
    assertThat(out).containsEntry("product.callsAfterOtherArgument", "2");
    assertThat(out).containsEntry("selfInvocation.calls", "2");
    assertThat(out).containsEntry("square", "81,81");
    assertThat(out).containsEntry("list.equal", "true").containsEntry("list.calls", "1");
    assertThat(out).containsEntry("list.elementType", PlainApp.Product.class.getName());
    assertThat(out).containsEntry("static", "hello ann,hello ann").containsEntry("static.calls", "1");
    assertThat(out)
        .containsEntry("failing.exception0", "java.io.IOException:source down for f")
        .containsEntry("failing.exception1", "java.io.IOException:source down for f")
        .containsEntry("failing.calls", "2");
    assertThat(out.get("misnamed"))
        .startsWith("dev.weft.exception.WeftConfigurationException:")
        .contains("@Cached(key = \"user:{idd}\")")
        .contains("no parameter named 'idd'; available: id");
    assertThat(out).containsEntry("misnamed.calls", "0");

    try (RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> c = client.connect()) {
      var redis = c.sync();
      assertThat(redis.keys("*"))
          .containsExactlyInAnyOrder("product:p-1", "product:p-2", "square:9", "list:k", "static:ann");
      assertThat(redis.get("product:p-1"))
          .isEqualTo("{\"sku\":\"p-1\",\"name\":\"Product p-1\",\"tags\":[\"new\",\"sale\"]}");
      assertThat(redis.pttl("product:p-1")).isBetween(540_000L, 600_000L);
      assertThat(redis.pttl("square:9")).isBetween(1L, 60_000L);
    }
  }

  @Test
  void appWithItsOwnByteBuddy_worksUnderTheAgent(RedisServer server) throws Exception {
    Path own = Paths.get(System.getProperty("weft.app.bytebuddy", "target/app-bytebuddy/byte-buddy.jar"));
    assertThat(own).exists();
    Map<String, String> out = run(server.url(), OwnByteBuddyApp.class, own.toString());

    assertThat(out).containsEntry("done", "true");
    assertThat(out.get("bytebuddy.jar")).as("the application's own ByteBuddy is the one it uses")
        .endsWith(own.getFileName().toString());
    assertThat(out).containsEntry("generated", "example.plain.Generated");
    assertThat(out).containsEntry("greeting", "hello ann,hello ann")
        .containsEntry("greeting.calls", "1");
  }

  @Test
  void attachedToARunningJvm_weavesClassesLoadedBefore(RedisServer server) throws Exception {
    List<String> classPath =
        List.of(AgentJvm.location(LateAttachApp.class), AgentJvm.location(Cached.class));
    AgentJvm.Run run = AgentJvm.runWithoutAgent(server.url(),
        List.of("-Djdk.attach.allowAttachSelf=true"), classPath, LateAttachApp.class.getName(),
        AgentJvm.agentJar());

    assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
    assertThat(run.facts())
        .as("output:%n%s", run.output())
        .containsEntry("before.calls", "2")
        .containsEntry("after", "hello after,hello after")
        .containsEntry("after.calls", "1")
        .containsEntry("done", "true");
    try (RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> c = client.connect()) {
      assertThat(c.sync().get("late:after")).isEqualTo("\"hello after\"");
    }
  }

  private static Map<String, String> runPlainApp(String redisUrl) throws Exception {
    return run(redisUrl, PlainApp.class, null);
  }

  /** Runs {@code main} under the agent with weft-annotations (and {@code extra}) on the class path. */
  private static Map<String, String> run(String redisUrl, Class<?> main, String extra)
      throws Exception {
    List<String> classPath = new ArrayList<>();
    classPath.add(AgentJvm.location(main));
    classPath.add(AgentJvm.location(Cached.class));
    if (extra != null) {
      classPath.add(extra);
    }
    AgentJvm.Run run = AgentJvm.run(redisUrl, classPath, main.getName());
    assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
    return run.facts();
  }
}
