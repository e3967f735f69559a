package dev.weft.internal.cache;

import dev.weft.exception.WeftConfigurationException;
import dev.weft.internal.codec.TypedCodec;
import java.io.IOException;
import org.slf4j.Logger;

/**
 * The values of one cached method as stored bytes: an entry that does not read as the declared
 * type is a miss ({@link #MISS}, logged, and overwritten by the next store); a value that cannot be
 * written is a programming error, thrown naming the method and the type (see {@link CacheAside},
 * Failures).
 */
final class EntryCodec {

  /** What {@link #decode} returns for an entry that is no value of the method. */
  static final Object MISS = new Object();

  private final String method;
  private final TypedCodec codec;
  private final Logger log;

  EntryCodec(String method, TypedCodec codec, Logger log) {
    this.method = method;
    this.codec = codec;
    this.log = log;
  }

  byte[] encode(Object value) {
    try {
      return codec.encode(value);
    } catch (IOException e) {
      throw new WeftConfigurationException(
          "@Cached on " + method + ": the result cannot be written as " + codec.typeName()
              + " (" + e.getMessage() + "); make the type serializable by the runtime's"
              + " codec (by Jackson: public getters or fields, a record) or remove @Cached",
          e);
    }
  }

  /** @return the value, or {@link #MISS} if the entry does not read as the method's type */
  Object decode(String key, byte[] bytes) {
    try {
      return codec.decode(bytes);
    } catch (IOException e) {
      log.warn(
          "{}: the entry '{}' does not read as {} ({}); treating it as a miss and overwriting it",
          method, key, codec.typeName(), e.getMessage());
      return MISS;
    }
  }
}
