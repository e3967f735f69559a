package dev.weft.internal.codec;

import dev.weft.codec.ValueCodec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The codec of one pattern's values: a runtime's {@link ValueCodec} bound to their declared type.
 *
 * <p>A pattern made from a runtime ({@code WeftCache}, a queue, a stream...) binds that runtime's
 * codec once ({@link #of}). A woven method's plan outlives runtimes (one may be installed after
 * the plan is built), so it follows the codec of the runtime serving the call ({@link
 * #following}): the binding is made again only when that codec changes, one identity check per
 * value otherwise.
 *
 * <p>An application's codec that throws an unchecked exception is treated as one that throws
 * {@link IOException}: its value cannot be written or read, and the pattern says so as it does for
 * any such value.
 */
public final class TypedCodec {

  private record Bound(ValueCodec codec, ValueCodec.Binding binding) {}

  private final Type type;
  private final Supplier<? extends ValueCodec> source;
  private volatile Bound bound;

  private TypedCodec(Type type, Supplier<? extends ValueCodec> source, Bound bound) {
    this.type = Objects.requireNonNull(type, "type");
    this.source = source;
    this.bound = bound;
  }

  /**
   * @param codec a runtime's codec, not {@code null}
   * @param type the declared type of the values, not {@code null}
   * @return the codec of those values, always through {@code codec}
   */
  public static TypedCodec of(ValueCodec codec, Type type) {
    return new TypedCodec(type, null, new Bound(codec, codec.forType(type)));
  }

  /**
   * @param source the codec of the runtime serving the current call; asked at every value
   * @param type the declared type of the values, not {@code null}
   * @return the codec of those values, through whatever {@code source} answers
   */
  public static TypedCodec following(Supplier<? extends ValueCodec> source, Type type) {
    return new TypedCodec(type, Objects.requireNonNull(source, "source"), null);
  }

  /** @return the declared type's name, for messages */
  public String typeName() {
    return type.getTypeName();
  }

  /**
   * @param value the value, may be {@code null}
   * @return the bytes to store, never {@code null}
   * @throws IOException if the codec cannot write the value as the declared type
   */
  public byte[] encode(Object value) throws IOException {
    ValueCodec.Binding binding = binding();
    byte[] bytes;
    try {
      bytes = binding.encode(value);
    } catch (RuntimeException e) {
      throw new IOException(e.toString(), e);
    }
    if (bytes == null) {
      throw new IOException(binding.getClass().getName() + " wrote null");
    }
    return bytes;
  }

  /**
   * @param bytes stored bytes, not {@code null}
   * @return the value, may be {@code null}
   * @throws IOException if the codec cannot read the bytes as the declared type
   */
  public Object decode(byte[] bytes) throws IOException {
    try {
      return binding().decode(bytes);
    } catch (RuntimeException e) {
      throw new IOException(e.toString(), e);
    }
  }

  private ValueCodec.Binding binding() {
    Bound b = bound;
    if (source == null) {
      return b.binding;
    }
    ValueCodec codec = source.get();
    if (b == null || b.codec != codec) {
      b = new Bound(codec, codec.forType(type));
      bound = b;
    }
    return b.binding;
  }
}
