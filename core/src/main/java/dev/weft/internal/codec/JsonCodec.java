package dev.weft.internal.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.Type;

/**
 * How Weft turns values into bytes and back: JSON by Jackson, typed by the declared type.
 *
 * <h2>Design</h2>
 *
 * The one codec decision is made when a method plan is built: the plan asks for a
 * {@link ValueCodec} for the method's generic return type and keeps it. The payload carries no
 * type information (no default typing, no {@code @class}), so a value planted in Redis by anyone
 * else can only ever become an instance of the declared type, never of a class it names, and
 * {@code redis-cli GET} shows plain JSON.
 *
 * <p>Unknown properties are ignored on read, so adding a field to a cached type does not turn
 * every existing entry into an error after a deploy.
 */
public final class JsonCodec {

  private static final JsonCodec SHARED = new JsonCodec(defaultMapper());

  // Keys are written from a value's real state: its fields, whatever their visibility, with
  // Jackson annotations ignored (an @JsonIgnore'd tenant still separates entries), properties and
  // map entries sorted, and a value with no state refused rather than written as {}.
  private static final ObjectWriter KEY_WRITER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .disable(MapperFeature.USE_ANNOTATIONS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
          .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build()
          .writer();

  private final ObjectMapper mapper;

  private JsonCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** @return the codec every Weft runtime in this class loader uses */
  public static JsonCodec shared() {
    return SHARED;
  }

  /** @return a new mapper configured as Weft configures its own */
  public static ObjectMapper defaultMapper() {
    return JsonMapper.builder()
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .build();
  }

  /**
   * @param type a (possibly generic) Java type, not {@code null}
   * @return the Jackson type for it
   */
  public JavaType javaType(Type type) {
    return mapper.getTypeFactory().constructType(type);
  }

  /** @return the type factory that resolves generic member types */
  public com.fasterxml.jackson.databind.type.TypeFactory typeFactory() {
    return mapper.getTypeFactory();
  }

  /**
   * @param type the declared type of the values, not {@code null}
   * @return a reader and writer bound to {@code type}, to be built once and reused
   */
  public ValueCodec forType(JavaType type) {
    return new ValueCodec(type, mapper.writerFor(type), mapper.readerFor(type));
  }

  /**
   * Writes a value as compact JSON text, for use inside keys.
   *
   * @param value any value, may be {@code null}
   * @return its JSON text, never {@code null}
   * @throws IllegalArgumentException if Jackson cannot write it
   */
  public String toKeyText(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write a " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Writes a value as compact JSON text for a cache key, from its fields (any visibility, Jackson
   * annotations ignored, properties and map entries sorted).
   *
   * @param value any value, may be {@code null}
   * @return its JSON text, never {@code null}
   * @throws IllegalArgumentException if the value has no readable state (no instance fields) or
   *     Jackson cannot write it; the message says which type and why
   */
  public String toKeyJson(Object value) {
    try {
      return KEY_WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      String why = e.getOriginalMessage();
      if (why != null && why.contains("no properties discovered")) {
        throw new IllegalArgumentException(
            "a " + value.getClass().getName() + " has no instance fields, so every value of it"
                + " would render alike", e);
      }
      throw new IllegalArgumentException(
          "a " + value.getClass().getName() + " cannot be written as JSON (" + why + ")", e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "a " + value.getClass().getName() + " cannot be written as JSON (" + e + ")", e);
    }
  }

  /** A reader and writer bound to one declared type. */
  public static final class ValueCodec {
    private final JavaType type;
    private final ObjectWriter writer;
    private final ObjectReader reader;

    ValueCodec(JavaType type, ObjectWriter writer, ObjectReader reader) {
      this.type = type;
      this.writer = writer;
      this.reader = reader;
    }

    /** @return the declared type this codec reads and writes */
    public JavaType type() {
      return type;
    }

    /**
     * @param value the value, may be {@code null} (written as JSON {@code null})
     * @return UTF-8 JSON bytes, never {@code null}
     * @throws JsonProcessingException if the value cannot be written as its declared type
     */
    public byte[] encode(Object value) throws JsonProcessingException {
      return writer.writeValueAsBytes(value);
    }

    /**
     * @param bytes UTF-8 JSON bytes, not {@code null}
     * @return the value, {@code null} for JSON {@code null}
     * @throws IOException if the bytes are not JSON of the declared type
     */
    public Object decode(byte[] bytes) throws IOException {
      return reader.readValue(bytes);
    }
  }
}
