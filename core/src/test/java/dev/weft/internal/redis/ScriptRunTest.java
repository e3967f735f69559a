package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisGateway#run(Script.Call)} against a real server: what a script receives is what the
 * call built, its reply arrives decoded, and NOSCRIPT is handled by the gateway.
 */
@WeftRedis
class ScriptRunTest {

  /** {keys, argv} as the server received them. */
  private static final Script<List<Object>> ECHO = Script.multi("test_echo", reply -> reply);

  private static RedisGateway gateway;

  @BeforeAll
  static void open(RedisServer server) {
    gateway = new RedisGateway(server.url(), Duration.ofSeconds(5));
  }

  @AfterAll
  static void close() {
    gateway.close();
  }

  @Test
  @SuppressWarnings("unchecked")
  void run_serverReceivesKeysAndArgsAsBuilt() {
    byte[] raw = {0, (byte) 0xff, 7};
    List<Object> reply =
        gateway.run(
            ECHO.keys("k:{1}", "k:{1}:x").arg("héllo").arg(-42).arg(Duration.ofMinutes(1))
                .arg(raw));

    assertThat(((List<byte[]>) reply.get(0)).stream().map(ScriptRunTest::text))
        .containsExactly("k:{1}", "k:{1}:x");
    List<byte[]> argv = (List<byte[]>) reply.get(1);
    assertThat(argv).hasSize(4);
    assertThat(text(argv.get(0))).isEqualTo("héllo");
    assertThat(text(argv.get(1))).isEqualTo("-42");
    assertThat(text(argv.get(2))).isEqualTo("60000");
    assertThat(argv.get(3)).isEqualTo(raw);
  }

  @Test
  void run_replyDecodedToTheScriptsType() {
    Script<Boolean> renew = Script.flag("lock_renew");
    gateway.execute(c -> c.set("lock", "me".getBytes(StandardCharsets.UTF_8)));

    assertThat(gateway.run(renew.keys("lock").arg("me").arg(Duration.ofMinutes(1)))).isTrue();
    assertThat(gateway.run(renew.keys("lock").arg("other").arg(Duration.ofMinutes(1)))).isFalse();
    long pttl = gateway.execute(c -> c.pttl("lock"));
    assertThat(pttl).isBetween(1L, 60_000L);
  }

  @Test
  void run_afterTheServerForgotTheScript_sendsItsBodyAgain(RedisServer server) {
    Script<Long> tagAdd = Script.integer("tag_add");
    assertThat(gateway.run(tagAdd.keys("weft:tag:t").arg("a").arg(60_000))).isEqualTo(1L);
    flushScripts(server);

    assertThat(gateway.run(tagAdd.keys("weft:tag:t").arg("b").arg(60_000)))
        .as("EVAL after NOSCRIPT")
        .isEqualTo(2L);
    List<Boolean> loaded = gateway.execute(c -> c.scriptExists(tagAdd.lua().sha()));
    assertThat(loaded).containsExactly(true);
  }

  @Test
  void runAsync_replyDecodedToTheScriptsType() {
    Script<Boolean> renew = Script.flag("lock_renew");
    assertThat(gateway.runAsync(renew.keys("none").arg("me").arg(Duration.ofMinutes(1))).join())
        .isFalse();
  }

  @Test
  void run_errorReply_reachesTheCallerAndLeavesTheBreakerClosed() {
    Script<String> store = Script.status("cache_store");
    assertThatThrownBy(() -> gateway.run(store.keys("k").arg("v").arg(0).arg("weft:changes")))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessageContaining("time to live must be a positive integer");
    assertThat(gateway.state()).isEqualTo(RedisGateway.State.CLOSED);
  }

  @Test
  void run_replyTheDecoderCannotRead_isAnIllegalStateNotAnOutage() {
    Script<Long> wrong = Script.multi("test_echo", reply -> (Long) reply.get(0));
    for (int i = 0; i < RedisGateway.WINDOW + 1; i++) {
      assertThatThrownBy(() -> gateway.run(wrong.keys("k")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("test_echo.lua answered");
    }
    assertThat(gateway.state()).isEqualTo(RedisGateway.State.CLOSED);
    assertThatThrownBy(() -> gateway.runAsync(wrong.keys("k")).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  private static void flushScripts(RedisServer server) {
    try (RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().scriptFlush();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
