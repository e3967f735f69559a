package dev.weft.spring.boot.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.codec.ValueCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.util.ClassUtils;

/**
 * {@link Jackson3ValueCodec} keeps Weft's safety on a copy of the application's mapper. Runs where
 * Jackson 3 is on the class path (apps/starter-boot4-it, a Boot 4 application); the Jackson 3
 * types are named only inside {@link Mappers}, so this class loads without them.
 */
@EnabledIf("jackson3Present")
class Jackson3ValueCodecTest {

  record Stamp(String id, Instant at, Optional<String> note) {}

  static boolean jackson3Present() {
    return ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", null);
  }

  @Test
  void encode_withAMapperThatHasDefaultTyping_writesNoClassNamesAndLeavesTheMapperTyping()
      throws IOException {
    ArrayList<String> value = new ArrayList<>(List.of("a"));

    String written =
        new String(Mappers.typedCodec().encode(value, ArrayList.class), StandardCharsets.UTF_8);

    assertThat(written).isEqualTo("[\"a\"]");
    assertThat(Mappers.typedMapperWrites(value)).contains("java.util.ArrayList");
  }

  @Test
  void decode_ofAPayloadNamingAClass_readsPlainDataNeverThatClass() throws IOException {
    byte[] planted = "[\"java.util.LinkedList\",[\"a\"]]".getBytes(StandardCharsets.UTF_8);

    Object read = Mappers.typedCodec().decode(planted, Object.class);

    assertThat(read).isEqualTo(List.of("java.util.LinkedList", List.of("a")))
        .isNotInstanceOf(java.util.LinkedList.class);
  }

  @Test
  void decode_ofBytesThatAreNotJson_failsWithAnIOException() {
    byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Mappers.typedCodec().decode(garbage, Stamp.class))
        .isInstanceOf(IOException.class);
  }


  @Test
  void roundTrip_withAPlainMapper_readsJavaTimeOptionalAndIgnoresUnknownProperties()
      throws IOException {
    ValueCodec codec = Mappers.strictCodec();
    Stamp stamp = new Stamp("s1", Instant.parse("2026-12-07T10:15:30Z"), Optional.of("n"));

    byte[] written = codec.encode(stamp, Stamp.class);
    String withExtra =
        new String(written, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"later\":1,");

    assertThat(codec.decode(withExtra.getBytes(StandardCharsets.UTF_8), Stamp.class))
        .isEqualTo(stamp);
  }

  /** The only place Jackson 3 is named; its methods' signatures are JDK and Weft types. */
  private static final class Mappers {

    static ValueCodec typedCodec() {
      return new Jackson3ValueCodec(typed());
    }

    static String typedMapperWrites(Object value) {
      return typed().writeValueAsString(value);
    }

    static ValueCodec strictCodec() {
      tools.jackson.databind.ObjectMapper strict =
          tools.jackson.databind.json.JsonMapper.builder()
              .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .build();
      return new Jackson3ValueCodec(strict);
    }

    private static tools.jackson.databind.ObjectMapper typed() {
      return tools.jackson.databind.json.JsonMapper.builder()
          .activateDefaultTyping(
              tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator.builder()
                  .allowIfBaseType(Object.class)
                  .build(),
              tools.jackson.databind.DefaultTyping.NON_FINAL)
          .build();
    }
  }
}
