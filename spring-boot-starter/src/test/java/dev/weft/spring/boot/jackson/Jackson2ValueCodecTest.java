package dev.weft.spring.boot.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.impl.LaissezFaireSubTypeValidator;
import dev.weft.codec.ValueCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Jackson2ValueCodec} keeps Weft's safety on a copy of the application's mapper. */
class Jackson2ValueCodecTest {

  record Stamp(String id, Instant at, Optional<String> note) {}

  @Test
  void encode_withAMapperThatHasDefaultTyping_writesNoClassNamesAndLeavesTheMapperTyping()
      throws IOException {
    ObjectMapper typed =
        JsonMapper.builder()
            .activateDefaultTyping(
                LaissezFaireSubTypeValidator.instance, ObjectMapper.DefaultTyping.NON_FINAL)
            .build();
    ValueCodec codec = new Jackson2ValueCodec(typed);
    ArrayList<String> value = new ArrayList<>(List.of("a"));

    String written = new String(codec.encode(value, ArrayList.class), StandardCharsets.UTF_8);

    assertThat(written).isEqualTo("[\"a\"]");
    assertThat(typed.writeValueAsString(value)).contains("java.util.ArrayList");
  }

  @Test
  void decode_ofAPayloadNamingAClass_readsPlainDataNeverThatClass() throws IOException {
    ObjectMapper typed =
        JsonMapper.builder()
            .activateDefaultTyping(
                LaissezFaireSubTypeValidator.instance, ObjectMapper.DefaultTyping.NON_FINAL)
            .build();
    ValueCodec codec = new Jackson2ValueCodec(typed);
    byte[] planted = "[\"java.util.LinkedList\",[\"a\"]]".getBytes(StandardCharsets.UTF_8);

    Object read = codec.decode(planted, Object.class);

    assertThat(read).isEqualTo(List.of("java.util.LinkedList", List.of("a")))
        .isNotInstanceOf(java.util.LinkedList.class);
    assertThat(typed.readValue(planted, Object.class)).isInstanceOf(java.util.LinkedList.class);
  }


  @Test
  void roundTrip_withAPlainMapper_readsJavaTimeOptionalAndIgnoresUnknownProperties()
      throws IOException {
    ValueCodec codec = new Jackson2ValueCodec(new ObjectMapper());
    Stamp stamp = new Stamp("s1", Instant.parse("2026-12-07T10:15:30Z"), Optional.of("n"));

    byte[] written = codec.encode(stamp, Stamp.class);
    String withExtra =
        new String(written, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"later\":1,");

    assertThat(codec.decode(withExtra.getBytes(StandardCharsets.UTF_8), Stamp.class))
        .isEqualTo(stamp);
  }
}
