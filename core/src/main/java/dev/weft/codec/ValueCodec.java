package dev.weft.codec;

import java.io.IOException;
import java.lang.reflect.Type;

/**
 * How a Weft runtime turns the application's values into the bytes it keeps in Redis, and back:
 * cache entries ({@code @Cached}, {@code @CachedBulk}, {@code @WriteThrough}, {@code WeftCache}),
 * queue items, stream messages, published messages, session fields and write-behind values. Give
 * a runtime its codec with {@code Weft.builder().codec(...)}, or hand it the application's Jackson
 * mapper with {@code Weft.builder().objectMapper(...)}; the default is Weft's own JSON.
 *
 * <h2>Design</h2>
 *
 * A value is always written and read as its <em>declared</em> type (the method's return type,
 * the queue's or the stream's item type), never as a type the payload names: a codec must not put
 * class names in what it writes, nor instantiate a class a payload names, because anyone who can
 * write to Redis can write a payload. The types here are the JDK's only, so that a codec compiled
 * against the application's own libraries plugs into any copy of the runtime, including the one
 * inside the Weft agent, where Weft's Jackson is relocated.
 *
 * <p>Keys are not the codec's business: Weft renders the arguments in a key with its own JSON
 * whatever the codec, so keys stay the same when the codec changes.
 *
 * <p>An implementation is thread-safe. It is asked for a {@linkplain #forType binding} once per
 * pattern and declared type, and the binding is reused for every value; override {@link #forType}
 * to prepare per type once (a Jackson reader and writer, say). Write-behind embeds the bytes in
 * its own JSON envelope as UTF-8 text, so a codec used with write-behind writes UTF-8 text.
 */
public interface ValueCodec {

  /**
   * @param value the value, may be {@code null}
   * @param type its declared type, possibly generic (such as {@code List<Order>}), not {@code
   *     null}
   * @return the bytes to store, never {@code null}
   * @throws IOException if the value cannot be written as {@code type}; the message says why
   */
  byte[] encode(Object value, Type type) throws IOException;

  /**
   * @param bytes what {@link #encode} wrote, or what another process put in Redis, not {@code
   *     null}
   * @param type the declared type to read, not {@code null}
   * @return the value, an instance of {@code type} or {@code null}
   * @throws IOException if the bytes cannot be read as {@code type}; Weft then treats them as
   *     it does any unreadable entry (a cache miss, a dead letter, ...)
   */
  Object decode(byte[] bytes, Type type) throws IOException;

  /**
   * @param type a declared type, not {@code null}
   * @return the codec of values of that type, to be reused for every one of them; by default
   *     {@link #encode} and {@link #decode} with {@code type}
   */
  default Binding forType(Type type) {
    ValueCodec codec = this;
    return new Binding() {
      @Override
      public byte[] encode(Object value) throws IOException {
        return codec.encode(value, type);
      }

      @Override
      public Object decode(byte[] bytes) throws IOException {
        return codec.decode(bytes, type);
      }
    };
  }

  /** A {@link ValueCodec} bound to one declared type; thread-safe. */
  interface Binding {

    /**
     * @param value the value, may be {@code null}
     * @return the bytes to store, never {@code null}
     * @throws IOException if the value cannot be written as the bound type
     */
    byte[] encode(Object value) throws IOException;

    /**
     * @param bytes stored bytes, not {@code null}
     * @return the value, an instance of the bound type or {@code null}
     * @throws IOException if the bytes cannot be read as the bound type
     */
    Object decode(byte[] bytes) throws IOException;
  }
}
