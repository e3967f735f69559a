package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a {@link Script} writes its arguments and reads its replies, without Redis. */
class ScriptTest {

  private static final Script<List<Object>> ECHO = Script.multi("test_echo", reply -> reply);

  @Test
  void args_eachKindWrittenOneWay_inOrder() {
    byte[] raw = {0, (byte) 0xff, 7};
    Script.Call<List<Object>> call =
        ECHO.keys("k1", "k2")
            .arg("héllo")
            .arg(-42L)
            .arg(7)
            .arg(Duration.ofSeconds(3).plusNanos(999_999))
            .arg(raw)
            .args(text("a"), text("b"))
            .args(List.of(text("c")));

    assertThat(call.keys()).containsExactly("k1", "k2");
    assertThat(List.of(call.args()))
        .containsExactly(
            "héllo".getBytes(StandardCharsets.UTF_8), text("-42"), text("7"), text("3000"), raw,
            text("a"), text("b"), text("c"));
    assertThat(call.args()[4]).isSameAs(raw);
  }

  @Test
  void args_manyArguments_allKept() {
    Script.Call<List<Object>> call = ECHO.keys("k");
    for (int i = 0; i < 1_000; i++) {
      call.arg(i);
    }
    List<byte[]> args = List.of(call.args());
    assertThat(args).hasSize(1_000);
    assertThat(args.get(999)).isEqualTo(text("999"));
  }

  @Test
  void args_nullArgument_rejectedAtOnce() {
    assertThatThrownBy(() -> ECHO.keys("k").arg((byte[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("script argument");
  }

  @Test
  void keys_arrayUsedAsItIs() {
    String[] keys = {"a", "b"};
    assertThat(ECHO.keys(keys).keys()).isSameAs(keys);
    assertThat(ECHO.keys(List.of("a", "b")).keys()).containsExactly("a", "b");
  }

  @Test
  void factories_declareLettucesOutputType() {
    assertThat(Script.integer("test_echo").output()).isEqualTo(ScriptOutputType.INTEGER);
    assertThat(Script.flag("test_echo").output()).isEqualTo(ScriptOutputType.INTEGER);
    assertThat(Script.status("test_echo").output()).isEqualTo(ScriptOutputType.STATUS);
    assertThat(Script.value("test_echo").output()).isEqualTo(ScriptOutputType.VALUE);
    assertThat(Script.integers("test_echo").output()).isEqualTo(ScriptOutputType.MULTI);
    assertThat(ECHO.output()).isEqualTo(ScriptOutputType.MULTI);
    assertThat(ECHO.lua().name()).isEqualTo("test_echo");
  }

  @Test
  void decode_flag_oneIsTrueZeroIsFalse() {
    Script<Boolean> flag = Script.flag("test_echo");
    assertThat(flag.decode(1L)).isTrue();
    assertThat(flag.decode(0L)).isFalse();
  }

  @Test
  void decode_nilReply_isNullWithoutCallingTheDecoder() {
    Script<String> failing =
        Script.of("test_echo", ScriptOutputType.VALUE, reply -> {
          throw new AssertionError("decoder called for nil");
        });
    assertThat(failing.decode(null)).isNull();
  }

  @Test
  void decode_integers_acceptsOnlyIntegers() {
    Script<List<Long>> integers = Script.integers("test_echo");
    assertThat(integers.decode(List.of(1L, 2L))).containsExactly(1L, 2L);
    assertThatThrownBy(() -> integers.decode(List.of(1L, text("x"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("test_echo.lua answered [1, \"x\"]");
  }

  @Test
  void decode_replyOfAnotherShape_namesTheScript() {
    Script<Long> integer = Script.integer("test_echo");
    assertThatThrownBy(() -> integer.decode(List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("test_echo.lua answered []")
        .hasCauseInstanceOf(ClassCastException.class);
  }

  @Test
  void load_missingScript_saysTheBuildIsBroken() {
    assertThatThrownBy(() -> Script.integer("no_such_script"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no_such_script.lua is missing");
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
