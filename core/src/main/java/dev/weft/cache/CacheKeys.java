package dev.weft.cache;

import dev.weft.internal.codec.JsonCodec;
import dev.weft.internal.plan.KeyText;
import java.time.temporal.TemporalAccessor;
import java.util.Objects;
import java.util.UUID;

/**
 * Renders values into the text of a {@link WeftCache} key as Weft renders annotation keys, for
 * adapters whose keys are objects (a Spring {@code Cache} gets its keys as {@code Object}s).
 *
 * <p>A scalar (string, number, boolean, character, enum by name, UUID, {@code java.time} value)
 * is its text; any other value is a JSON array of one element, the value's fields (Weft's own key
 * JSON, sorted, annotations ignored); a tuple of values ({@link #tuple}) is the JSON array of
 * them. The text is escaped as annotation keys are ({@code :}, {@code %}, braces, glob characters
 * and whitespace as {@code %XX}), except for the brackets of the JSON arrays, which no escaped
 * scalar contains: so a scalar, a value and a tuple never render alike, and a value renders as
 * the tuple of that one value. Two scalars with the same text (the string {@code "42"} and the
 * number {@code 42}) share it. A value with no readable state (no instance fields) is refused, as
 * in annotation keys, since every value of it would render alike.
 */
public final class CacheKeys {

  private CacheKeys() {}

  /**
   * @param value the value, not {@code null}
   * @return the value's text in a key
   * @throws IllegalArgumentException if the value has no readable state or cannot be written as
   *     JSON; the message names its class and why
   */
  public static String text(Object value) {
    Objects.requireNonNull(value, "value");
    if (value instanceof String s) {
      return KeyText.escape(s, -1, true);
    }
    if (value instanceof CharSequence
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Character
        || value instanceof UUID
        || value instanceof TemporalAccessor) {
      return KeyText.escape(value.toString(), -1, true);
    }
    if (value instanceof Enum<?> e) {
      return KeyText.escape(e.name(), -1, true);
    }
    return tuple(new Object[] {value});
  }

  /**
   * @param values the values, each may be {@code null}; none for the empty tuple
   * @return the JSON array of the values, as a key's text
   * @throws IllegalArgumentException if a value has no readable state or cannot be written as
   *     JSON; the message names its class and why
   */
  public static String tuple(Object[] values) {
    StringBuilder json = new StringBuilder(16).append('[');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(JsonCodec.shared().toKeyJson(values[i]));
    }
    return KeyText.escape(json.append(']').toString(), -1, false);
  }

  /**
   * @param text literal text, such as a cache's name, not {@code null}
   * @return the text escaped as a value in a key is, so that it holds no {@code :} nor glob or
   *     hash-tag characters
   */
  public static String literal(String text) {
    return KeyText.escape(text, -1, true);
  }
}
