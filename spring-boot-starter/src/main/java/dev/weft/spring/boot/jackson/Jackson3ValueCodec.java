package dev.weft.spring.boot.jackson;

import dev.weft.codec.ValueCodec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * Weft's values written and read by the application's Jackson 3 {@link ObjectMapper} (Spring Boot
 * 4's {@code JsonMapper}), on a copy ({@link ObjectMapper#rebuild()}) hardened as Weft hardens any
 * mapper it is given: default typing off, unknown properties ignored on read. Jackson 3 reads and
 * writes {@code Optional} and {@code java.time} itself. The application's mapper is never changed.
 *
 * <p>Jackson 3's exceptions are unchecked; a value that cannot be written or read is reported to
 * Weft as the {@link IOException} {@link ValueCodec} promises, so an unreadable entry is a miss.
 * Written against {@link ValueCodec} (JDK types only), so it also serves a runtime that is the
 * Weft agent's copy of Weft.
 */
public final class Jackson3ValueCodec implements ValueCodec {

  private static final Logger log = LoggerFactory.getLogger(Jackson3ValueCodec.class);

  private final ObjectMapper mapper;

  /**
   * @param applicationMapper the application's mapper, not {@code null}; Weft works on a copy
   */
  public Jackson3ValueCodec(ObjectMapper applicationMapper) {
    Objects.requireNonNull(applicationMapper, "applicationMapper");
    if (applicationMapper.serializationConfig().getDefaultTyper(null) != null
        || applicationMapper.deserializationConfig().getDefaultTyper(null) != null) {
      log.info(
          "Weft writes and reads its values as their declared types, without the default typing"
              + " of the application's JsonMapper: payloads carry no class names, and the"
              + " application's mapper is unchanged");
    }
    this.mapper =
        applicationMapper
            .rebuild()
            .deactivateDefaultTyping()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
  }

  @Override
  public byte[] encode(Object value, Type type) throws IOException {
    return forType(type).encode(value);
  }

  @Override
  public Object decode(byte[] bytes, Type type) throws IOException {
    return forType(type).decode(bytes);
  }

  /** The reader and writer of {@code type}, made once. */
  @Override
  public Binding forType(Type type) {
    JavaType javaType = mapper.getTypeFactory().constructType(type);
    ObjectWriter writer = mapper.writerFor(javaType);
    ObjectReader reader = mapper.readerFor(javaType);
    return new Binding() {
      @Override
      public byte[] encode(Object value) throws IOException {
        try {
          return writer.writeValueAsBytes(value);
        } catch (JacksonException e) {
          throw new IOException(e.getOriginalMessage(), e);
        }
      }

      @Override
      public Object decode(byte[] bytes) throws IOException {
        try {
          return reader.readValue(bytes);
        } catch (JacksonException e) {
          throw new IOException(e.getOriginalMessage(), e);
        }
      }
    };
  }
}
