package dev.weft.spring.boot.jackson;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.weft.codec.ValueCodec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeanUtils;
import org.springframework.util.ClassUtils;

/**
 * Weft's values written and read by the application's Jackson 2 {@link ObjectMapper} (Spring Boot
 * 3's), on a copy hardened as Weft hardens any mapper it is given: default typing off, unknown
 * properties ignored on read, {@code Jdk8Module} and {@code JavaTimeModule} added when the mapper
 * lacks them and the application has them. The application's mapper is never changed.
 *
 * <p>Written against {@link ValueCodec} (JDK types only) and the application's own Jackson, so it
 * also serves a runtime that is the Weft agent's copy of Weft, whose Jackson is relocated.
 */
public final class Jackson2ValueCodec implements ValueCodec {

  private static final Logger log = LoggerFactory.getLogger(Jackson2ValueCodec.class);

  private static final String[] MODULES = {
    "com.fasterxml.jackson.datatype.jdk8.Jdk8Module",
    "com.fasterxml.jackson.datatype.jsr310.JavaTimeModule"
  };

  private final ObjectMapper mapper;

  /**
   * @param applicationMapper the application's mapper, not {@code null}; Weft works on a {@link
   *     ObjectMapper#copy() copy}
   * @throws IllegalStateException if the mapper's class cannot be copied (it does not override
   *     {@code copy()})
   */
  public Jackson2ValueCodec(ObjectMapper applicationMapper) {
    Objects.requireNonNull(applicationMapper, "applicationMapper");
    ObjectMapper copy = applicationMapper.copy();
    if (copy.getSerializationConfig().getDefaultTyper(null) != null
        || copy.getDeserializationConfig().getDefaultTyper(null) != null) {
      copy.deactivateDefaultTyping();
      log.info(
          "Weft writes and reads its values as their declared types, without the default typing"
              + " of the application's ObjectMapper: payloads carry no class names, and the"
              + " application's mapper is unchanged");
    }
    copy.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    Set<Object> registered = copy.getRegisteredModuleIds();
    ClassLoader loader = ObjectMapper.class.getClassLoader();
    for (String name : MODULES) {
      if (ClassUtils.isPresent(name, loader)) {
        Module module =
            BeanUtils.instantiateClass(ClassUtils.resolveClassName(name, loader), Module.class);
        if (!registered.contains(module.getTypeId())) {
          copy.registerModule(module);
        }
      }
    }
    this.mapper = copy;
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

  private JavaType javaType(Type type) {
    return mapper.getTypeFactory().constructType(type);
  }
}
