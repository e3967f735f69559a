package dev.weft.internal.cache;

import dev.weft.codec.ValueCodec;
import dev.weft.internal.codec.TypedCodec;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What a method returns, as far as caching cares: a plain value, an {@link Optional}, or a
 * future ({@link CompletableFuture} or {@link CompletionStage}) whose completed value is what gets
 * cached, never the future itself.
 *
 * @param future whether the method returns a future
 * @param valueType the type of what is stored: the future's type argument, else the return type
 */
public record ResultShape(boolean future, Type valueType) {

  /**
   * @param method the cached method, not {@code null}
   * @return its shape
   */
  public static ResultShape of(Method method) {
    Class<?> raw = method.getReturnType();
    if (raw == CompletableFuture.class || raw == CompletionStage.class) {
      Type generic = method.getGenericReturnType();
      Type value =
          generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
      return new ResultShape(true, value);
    }
    return new ResultShape(false, method.getGenericReturnType());
  }

  /**
   * @param value a stored or returned value, may be {@code null}
   * @return whether it stands for "nothing": {@code null} or an empty {@link Optional}
   */
  public static boolean isAbsent(Object value) {
    return value == null || (value instanceof Optional<?> o && o.isEmpty());
  }

  /**
   * @param value the value read from the cache
   * @return what the method returns for it: the value itself, or a completed future
   */
  public Object toReturn(Object value) {
    return future ? CompletableFuture.completedFuture(value) : value;
  }

  /**
   * @param runtimeCodec the codec of the runtime serving the current call, not {@code null}
   * @return the codec for the stored values, following that runtime's codec
   */
  public TypedCodec codec(Supplier<? extends ValueCodec> runtimeCodec) {
    return TypedCodec.following(runtimeCodec, valueType);
  }
}
