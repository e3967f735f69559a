package dev.weft.session;

import dev.weft.codec.ValueCodec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A session as read from a {@link Sessions} store at one moment: its id, its user, and its fields
 * (JSON values, read back as the type the caller asks for). Immutable; changing a field is {@link
 * Sessions#update}.
 *
 * <p>{@link #toString()} never shows the id, which is a bearer secret.
 */
public final class Session {

  private final String id;
  private final String userId;
  private final Instant createdAt;
  private final Instant expiresAt;
  private final Map<String, byte[]> fields;
  private final ValueCodec codec;

  Session(String id, String userId, Instant createdAt, Instant expiresAt,
      Map<String, byte[]> fields, ValueCodec codec) {
    this.codec = codec;
    this.id = id;
    this.userId = userId;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
    this.fields = Map.copyOf(fields);
  }

  /**
   * @return the session id to hand to the client (a cookie, a bearer token), never {@code null};
   *     only its SHA-256 is in Redis
   */
  public String id() {
    return id;
  }

  /** @return the user the session belongs to, never {@code null} */
  public String userId() {
    return userId;
  }

  /** @return when it was created, on Redis's clock, never {@code null} */
  public Instant createdAt() {
    return createdAt;
  }

  /**
   * @return when it expires unless used again, on Redis's clock (millisecond precision), never
   *     {@code null}
   */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** @return the names of its fields, never {@code null}, unmodifiable */
  public Set<String> fieldNames() {
    return fields.keySet();
  }

  /**
   * @param field a field's name, not {@code null}
   * @return whether the session has it
   */
  public boolean has(String field) {
    return fields.containsKey(Objects.requireNonNull(field, "field"));
  }

  /**
   * @param field a field's name, not {@code null}
   * @return its value as a string, or {@code null} if the session has no such field or it holds
   *     JSON {@code null}
   * @throws IllegalArgumentException if the field holds something other than a JSON string
   */
  public String getString(String field) {
    return get(field, String.class);
  }

  /**
   * @param field a field's name, not {@code null}
   * @param type the type to read the field's JSON as, not {@code null}
   * @param <T> that type
   * @return the value, or {@code null} if the session has no such field or it holds JSON {@code
   *     null}
   * @throws IllegalArgumentException if the field's JSON cannot be read as {@code type}
   */
  public <T> T get(String field, Class<T> type) {
    return type.cast(get(field, (Type) type));
  }

  /**
   * As {@link #get(String, Class)}, for a generic type such as {@code List<String>} (from a
   * {@code TypeReference}'s {@code getType()}).
   *
   * @param field a field's name, not {@code null}
   * @param type the (possibly generic) type to read the JSON as, not {@code null}
   * @return the value, or {@code null}
   * @throws IllegalArgumentException if the field's JSON cannot be read as {@code type}
   */
  public Object get(String field, Type type) {
    Objects.requireNonNull(type, "type");
    byte[] json = fields.get(Objects.requireNonNull(field, "field"));
    if (json == null) {
      return null;
    }
    try {
      return codec.decode(json, type);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "session field '" + field + "' holds " + new String(json, StandardCharsets.UTF_8)
              + ", which cannot be read as " + type.getTypeName(), e);
    }
  }

  @Override
  public String toString() {
    return "Session[user=" + userId + ", fields=" + fields.keySet() + ", expiresAt=" + expiresAt
        + "]";
  }
}
