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
import dev.weft.exception.WeftConfigurationException;
import dev.weft.codec.ValueCodec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weft's JSON codec: values as JSON by Jackson, typed by the declared type; the default {@link
 * ValueCodec} of every runtime, and the one that wraps an application's own {@link ObjectMapper}
 * ({@link #of}). Also Weft's own JSON for the arguments in keys, which no codec changes.
 *
 * <h2>Design</h2>
 *
 * The one codec decision is made when a pattern or a method plan is built: it binds the runtime's
 * {@link ValueCodec} to the declared type ({@link TypedCodec}) and keeps it. The payload carries no
 * type information (no default typing, no {@code @class}), so a value planted in Redis by anyone
 * else can only ever become an instance of the declared type, never of a class it names, and
 * {@code redis-cli GET} shows plain JSON.
 *
 * <p>Unknown properties are ignored on read, so adding a field to a cached type does not turn
 * every existing entry into an error after a deploy.
 *
 * <h2>The application's mapper</h2>
 *
 * An application's {@link ObjectMapper} ({@code Weft.builder().objectMapper(...)}) brings its
 * modules, serializers and naming to the values, and keeps the safety above: Weft works on a
 * {@linkplain ObjectMapper#copy() copy}, so what Weft changes never reaches the application's
 * mapper, and on that copy
 *
 * <ul>
 *   <li>default typing is turned off. A mapper with {@code activateDefaultTyping} (often set for
 *       Spring Session or Spring Cache) would write {@code ["com.acme.Order",{...}]} and read any
 *       class a payload names; Weft's values are typed by their declared type instead. This is
 *       done rather than refused, so that one mapper serves the application and Weft; it is
 *       logged at INFO each time such a mapper is given to a builder;
 *   <li>unknown properties are ignored on read, as above;
 *   <li>{@code Jdk8Module} ({@code Optional}) and {@code JavaTimeModule} ({@code java.time}) are
 *       registered when the mapper has none by those ids: a mapper that already has them keeps its
 *       own.
 * </ul>
 *
 * <p>Keys never go through the application's mapper: {@link #toKeyJson} and {@link #toKeyText}
 * are Weft's own, on the {@linkplain #shared() shared} codec, so a key is the same string whatever
 * mapper a runtime has and processes with different mappers share their entries' keys.
 *
 * <p>Annotations a class carries on purpose, such as {@code @JsonTypeInfo}, are the type's own
 * decision and are honoured, as Weft's own mapper honours them.
 */
public final class JsonCodec implements ValueCodec {

  private static final Logger log = LoggerFactory.getLogger(JsonCodec.class);

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

  /** @return Weft's own codec, the default of every runtime, and the one keys are rendered by */
  public static JsonCodec shared() {
    return SHARED;
  }

  /**
   * Wraps an application's mapper as described under "The application's mapper".
   *
   * @param applicationMapper the application's mapper, not {@code null}; never changed
   * @return a codec on a hardened copy of it
   * @throws WeftConfigurationException if the mapper cannot be copied (a subclass of {@link
   *     ObjectMapper} that does not override {@code copy()}); the message names {@code
   *     objectMapper} and the fix
   */
  public static JsonCodec of(ObjectMapper applicationMapper) {
    ObjectMapper copy;
    try {
      copy = applicationMapper.copy();
    } catch (IllegalStateException e) {
      throw new WeftConfigurationException(
          "Weft.builder().objectMapper(" + applicationMapper.getClass().getName() + "): Weft"
              + " works on a copy of the mapper, and this class cannot be copied ("
              + e.getMessage() + "); pass a mapper whose class overrides copy() (a JsonMapper"
              + " does), or give Weft a codec(...) of your own that uses it",
          e);
    }
    if (copy.getSerializationConfig().getDefaultTyper(null) != null
        || copy.getDeserializationConfig().getDefaultTyper(null) != null) {
      copy.deactivateDefaultTyping();
      log.info(
          "Weft writes and reads its values as their declared types, without the default typing"
              + " of the ObjectMapper given to Weft.builder().objectMapper(...): payloads carry no"
              + " class names, and the application's mapper is unchanged");
    }
    copy.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    Set<Object> modules = copy.getRegisteredModuleIds();
    Jdk8Module jdk8 = new Jdk8Module();
    if (!modules.contains(jdk8.getTypeId())) {
      copy.registerModule(jdk8);
    }
    JavaTimeModule time = new JavaTimeModule();
    if (!modules.contains(time.getTypeId())) {
      copy.registerModule(time);
    }
    return new JsonCodec(copy);
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

  @Override
  public byte[] encode(Object value, Type type) throws IOException {
    return mapper.writerFor(javaType(type)).writeValueAsBytes(value);
  }

  @Override
  public Object decode(byte[] bytes, Type type) throws IOException {
    return mapper.readerFor(javaType(type)).readValue(bytes);
  }

  /** The reader and writer of {@code type}, made once. */
  @Override
  public Binding forType(Type type) {
    JavaType javaType = javaType(type);
    ObjectWriter writer = mapper.writerFor(javaType);
    ObjectReader reader = mapper.readerFor(javaType);
    return new Binding() {
      @Override
      public byte[] encode(Object value) throws IOException {
        return writer.writeValueAsBytes(value);
      }

      @Override
      public Object decode(byte[] bytes) throws IOException {
        return reader.readValue(bytes);
      }
    };
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
   * Writes a value as compact JSON text, for use inside keys: always by Weft's own mapper,
   * whichever codec this is.
   *
   * @param value any value, may be {@code null}
   * @return its JSON text, never {@code null}
   * @throws IllegalArgumentException if Jackson cannot write it
   */
  public String toKeyText(Object value) {
    try {
      return SHARED.mapper.writeValueAsString(value);
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
}
