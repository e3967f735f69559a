package dev.weft.kotlin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.kotlin.KotlinApp.Target;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kotlin classes under {@code -javaagent:weft-agent.jar}, compiled for Java 8 (Kotlin's default;
 * class files without dynamic constants) and for Java 17, alone and with JaCoCo's agent before or
 * after Weft's, against the harness's Redis. Each check is of behaviour: a cached method's body
 * runs once per key, the fourth call within a limit of three is refused, no two lock holders are
 * ever inside at once.
 *
 * <p>{@code Labels.label} returns while other values are still on the operand stack, which javac
 * never writes; its class is kept apart so that the other checks do not depend on it.
 */
@WeftRedis
class KotlinAgentIT {

  private RedisServer server;

  @ParameterizedTest
  @EnumSource(Target.class)
  void kotlinClasses_underTheAgent_cacheLimitAndLock(Target target, RedisServer server)
      throws Exception {
    this.server = server;
    KotlinApp.Run run = KotlinApp.run(server.url(), target, List.of(weftAgent()));

    assertKotlinBehaviour(target, run);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void kotlinReturnWithValuesLeftOnTheStack_underTheAgent_isCached(Target target, RedisServer server)
      throws Exception {
    this.server = server;
    KotlinApp.Run run = KotlinApp.run(server.url(), target, List.of(weftAgent()), "labels");

    assertLabels(run);
  }

  @Test
  void jacocoFirstThenWeft_bothWork(RedisServer server, @TempDir Path dir)
      throws Exception {
    this.server = server;
    Path exec = dir.resolve("jacoco.exec");
    KotlinApp.Run run = KotlinApp.run(server.url(), Target.JVM_17, List.of(jacoco(exec), weftAgent()));

    assertKotlinBehaviour(Target.JVM_17, run);
    assertCoverageRecorded(exec);
  }

  @Test
  void weftFirstThenJacoco_bothWork(RedisServer server, @TempDir Path dir)
      throws Exception {
    this.server = server;
    Path exec = dir.resolve("jacoco.exec");
    KotlinApp.Run run = KotlinApp.run(server.url(), Target.JVM_17, List.of(weftAgent(), jacoco(exec)));

    assertKotlinBehaviour(Target.JVM_17, run);
    assertCoverageRecorded(exec);
  }

  @Test
  void jacocoFirstThenWeft_classFilesOfJava8_bothWork(
      RedisServer server, @TempDir Path dir) throws Exception {
    this.server = server;
    Path exec = dir.resolve("jacoco.exec");
    KotlinApp.Run run = KotlinApp.run(server.url(), Target.JVM_8, List.of(jacoco(exec), weftAgent()));

    assertKotlinBehaviour(Target.JVM_8, run);
    assertCoverageRecorded(exec);
  }

  @AfterEach
  void forgetKeys() {
    if (server == null) {
      return;
    }
    try (RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().flushall();
    }
  }

  private void assertKotlinBehaviour(Target target, KotlinApp.Run run) {
    Map<String, String> out = run.facts();
    assertThat(out).as(run.output()).containsEntry("done", "true");
    assertThat(out).as(run.output())
        .containsEntry("java.classVersion", Integer.toString(target.classVersion))
        .doesNotContainKeys("catalog.error", "ratelimit.error", "lock.error");
    assertThat(out).as(run.output())
        .containsEntry("name", "name-a,name-a")
        .containsEntry("find", "null,null,special-x1,special-x1,found-b,found-b")
        .containsEntry("size", "1,1,3,0,0")
        .containsEntry("weight", "10,20,20,-1")
        .containsEntry("price", "p 100 EUR|p 100 EUR|p 100 USD|p 5 EUR")
        .containsEntry("present", "true,true,false")
        // name 1, find 3 (the null is cached too), size 3, weight 3, price 3, present 2
        .containsEntry("catalog.loads", "15")
        .containsEntry("greet", "hello ann,hello ann")
        .containsEntry("greet.loads", "1")
        .containsEntry("top", "top-t,top-t")
        .containsEntry("top.loads", "1");
    assertThat(out).as(run.output())
        .containsEntry("quote", "ok,ok,ok,RateLimitExceededException,RateLimitExceededException");
    assertThat(out).as(run.output())
        .containsEntry("ledger.balance", "200")
        .containsEntry("ledger.mostInside", "1")
        .containsEntry("ledger.refused", "-1");
    try (RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> c = client.connect()) {
      List<String> keys = new ArrayList<>(c.sync().keys("kt:*"));
      assertThat(keys).as("what the Kotlin methods cached").contains(
          "kt:name:a", "kt:find:x1", "kt:size:s", "kt:weight:m", "kt:price:p:EUR:100",
          "kt:price:p:USD:100", "kt:present:2", "kt:greet:ann", "kt:top:t");
    }
  }

  private static void assertLabels(KotlinApp.Run run) {
    assertThat(run.facts()).as(run.output())
        .containsEntry("done", "true")
        .doesNotContainKey("labels.error")
        .containsEntry("label", "negative,negative,label-4,label-4")
        .containsEntry("label.loads", "2");
  }

  private static void assertCoverageRecorded(Path exec) throws Exception {
    assertThat(exec).as("JaCoCo's execution data, written at exit").isRegularFile();
    byte[] data = Files.readAllBytes(exec);
    assertThat(data.length).as("bytes of execution data").isGreaterThan(0);
    // Class names are stored as modified UTF-8 in the session's class records.
    String text = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(text).as("the Kotlin classes' coverage").contains("example/kotlin/Catalog", "example/kotlin/Ledger");
  }

  private static String weftAgent() {
    return "-javaagent:" + KotlinApp.jar("weft.agent.jar");
  }

  private static String jacoco(Path exec) {
    return "-javaagent:" + KotlinApp.jar("weft.jacoco.agent.jar") + "=destfile=" + exec
        + ",includes=example.*";
  }
}
