package dev.weft.sample.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * JSON in and out, with errors a client can act on: a malformed body, an unknown field or a
 * field of the wrong type becomes a 400 that names the field and what was expected.
 */
final class Json {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private Json() {}

  /**
   * @param value a record or collection
   * @return its JSON, UTF-8
   */
  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass() + " as JSON", e);
    }
  }

  /**
   * @param body a request body
   * @param type the record it should hold
   * @param example a valid body, quoted in messages
   * @param <T> the record's type
   * @return the record, never {@code null}
   * @throws ApiException (400) if the body is empty, not JSON, or does not fit {@code type}
   */
  static <T> T read(byte[] body, Class<T> type, String example) {
    if (body.length == 0) {
      throw new ApiException(400, "the request body is empty; send a JSON object such as " + example);
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new ApiException(400, "the request body is null; send a JSON object such as " + example);
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new ApiException(
          400,
          "unknown field '" + e.getPropertyName() + "'; the fields are "
              + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                  .collect(Collectors.joining(", "))
              + ", as in " + example);
    } catch (MismatchedInputException e) {
      String field = path(e);
      throw new ApiException(
          400,
          field.isEmpty()
              ? "the request body must be a JSON object such as " + example
              : "field '" + field + "' must be " + describe(e.getTargetType()) + ", as in " + example);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ApiException(
          400,
          "malformed JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
              + at.getColumnNr()) + ": " + e.getOriginalMessage() + "; send a JSON object such as "
              + example);
    } catch (IOException e) {
      throw new ApiException(400, "the request body could not be read: " + e.getMessage());
    }
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == String.class) {
      return "a string";
    }
    return "a " + type.getSimpleName();
  }
}
