package dev.weft.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.codec.JsonCodec;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyTextTest {

  @Test
  void escape_leavesIdsAndSlugsAsTheyAre() {
    for (String plain : List.of("42", "acme-eu", "a.b_c", "Zürich", "user@example.com")) {
      assertThat(KeyText.escape(plain, -1, true)).isSameAs(plain);
    }
  }

  @Test
  void escape_writesReservedCharactersAsUtf8PercentBytes() {
    assertThat(KeyText.escape("a:b%c{d}*?[x]\\ \t\n", -1, true))
        .isEqualTo("a%3Ab%25c%7Bd%7D%2A%3F%5Bx%5D%5C%20%09%0A");
    assertThat(KeyText.escape("a\u00A0b\u200Bc", -1, true)).isEqualTo("a%C2%A0b%E2%80%8Bc");
    assertThat(KeyText.escape("[1]", -1, false)).isEqualTo("[1]");
  }

  @Test
  void escape_extraCodePoint_isEscapedToo_evenOutsideTheBasicPlane() {
    assertThat(KeyText.escape("x-y", '-', true)).isEqualTo("x%2Dy");
    assertThat(KeyText.escape("a😀b", "😀".codePointAt(0), true)).isEqualTo("a%F0%9F%98%80b");
  }

  @Test
  void templateRendering_isInjective_overTrickyTuples() throws Exception {
    Method pair = Pair.class.getDeclaredMethod("find", String.class, String.class);
    KeyTemplate colon = KeyTemplate.compile("inv:{a}:{b}", pair, JsonCodec.shared());
    KeyTemplate dash = KeyTemplate.compile("{a}-{b}", pair, JsonCodec.shared());
    KeyTemplate open = KeyTemplate.compile("{a}x{b}", pair, JsonCodec.shared());
    String[] values = {
      "", "a", "eu", "eu:1", "acme:eu", "1", ":", "::", "%", "%3A", "%25", "null", "-", "x-y",
      "x", "ax", "xb", "weft", "weft:rl", "w", "a b", "{x}", "*", "%null", "%77eft"
    };
    for (KeyTemplate t : List.of(colon, dash, open)) {
      Map<String, List<String>> seen = new HashMap<>();
      for (String a : values) {
        for (String b : values) {
          List<String> tuple = List.of(a, b);
          List<String> before = seen.put(t.render(new Object[] {a, b}), tuple);
          assertThat(before).as(t.source() + " renders " + tuple + " like " + before).isNull();
        }
        List<String> nulls = new ArrayList<>(Arrays.asList(a, null));
        assertThat(seen.put(t.render(new Object[] {a, null}), nulls)).isNull();
      }
    }
    assertThat(colon.render(new Object[] {"acme", "eu:1"}))
        .isNotEqualTo(colon.render(new Object[] {"acme:eu", "1"}));
  }

  @Test
  void finish_movesKeysOutOfWeftsNamespace_toAKeyNoValueProduces() {
    assertThat(KeyText.finish("weft:rl:{x}")).isEqualTo("%77eft:rl:{x}");
    assertThat(KeyText.finish("weftx:1")).isEqualTo("weftx:1");
  }

  @Test
  void programmatic_takesTheKeyAsItIs_butRefusesWeftsNamespace() {
    assertThat(KeyText.programmatic("user:42")).isEqualTo("user:42");
    assertThatThrownBy(() -> KeyText.programmatic("weft:lock:{a}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weft:")
        .hasMessageContaining("app:lock:{a}");
  }

  @Test
  void bound_keepsShortKeys_andHashesLongOnesWithTheirReadableHead() {
    String limit = "k".repeat(KeyText.MAX_LENGTH);
    assertThat(KeyText.bound(limit)).isSameAs(limit);
    String one = "user:" + "a".repeat(10_000);
    String two = "user:" + "a".repeat(9_999) + "b";
    String bounded = KeyText.bound(one);
    assertThat(bounded.length()).isLessThanOrEqualTo(KeyText.MAX_LENGTH);
    assertThat(bounded).startsWith("user:aaaa").contains("%#");
    assertThat(bounded).isNotEqualTo(KeyText.bound(two));
    assertThat(KeyText.bound(bounded)).isEqualTo(bounded);
  }

  @Test
  void bound_neverCutsAnEscapeOrASurrogatePair() {
    for (int pad = 0; pad < 4; pad++) {
      String escaped = "p".repeat(KeyText.HEAD_LENGTH - 4 + pad) + "%3A".repeat(100);
      String head = KeyText.bound(escaped).split("%#")[0];
      assertThat(head).matches("p+(%3A)*");
      String emoji = "p".repeat(KeyText.HEAD_LENGTH - 3 + pad) + "😀".repeat(100);
      String emojiHead = KeyText.bound(emoji).split("%#")[0];
      assertThat(Character.isHighSurrogate(emojiHead.charAt(emojiHead.length() - 1))).isFalse();
    }
  }

  @Test
  void namespaceHead_isAPrefixOfEveryBoundedKeyUnderIt() {
    String namespace = "n".repeat(2_000);
    String key = KeyText.bound(namespace + ":1");
    assertThat(key).startsWith(KeyText.namespaceHead(namespace));
    String shortOne = "n".repeat(KeyText.HEAD_LENGTH - 3);
    assertThat(KeyText.bound(shortOne + ":" + "x".repeat(1_000))).startsWith(shortOne + ":");
  }

  private static final class Pair {
    @SuppressWarnings("unused")
    String find(String a, String b) {
      return null;
    }
  }
}
