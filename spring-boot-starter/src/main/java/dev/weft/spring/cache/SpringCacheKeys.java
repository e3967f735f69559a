package dev.weft.spring.cache;

import dev.weft.cache.CacheKeys;
import dev.weft.exception.WeftConfigurationException;
import java.lang.reflect.Field;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * The Redis key of a Spring cache entry: {@code <cache name>::<key text>}, the layout of Spring's
 * {@code RedisCacheManager} (under the runtime's key prefix, if it has one). The key's text is
 * {@link CacheKeys}': a scalar key as its text ({@code products::42}), a {@link SimpleKey} (the
 * arguments of a method with several) as the JSON array of its arguments
 * ({@code prices::["eu",42]}), any other object as the JSON array of that one object. The name is
 * escaped ({@code :} as {@code %3A}), so one cache's namespace never holds another's keys.
 */
final class SpringCacheKeys {

  private static final Field PARAMS = simpleKeyParams();

  private final String cache;
  private final String namespace;

  SpringCacheKeys(String cache) {
    this.cache = cache;
    this.namespace = CacheKeys.literal(cache) + "::";
  }

  /** @return the prefix of every key of the cache, which ends with {@code :} */
  String namespace() {
    return namespace;
  }

  /**
   * @param key Spring's key, not {@code null}
   * @return the entry's key
   * @throws WeftConfigurationException if the key holds a value with no readable state
   */
  String render(Object key) {
    try {
      return namespace + text(key);
    } catch (IllegalArgumentException e) {
      throw new WeftConfigurationException(
          "Cache '" + cache + "': the key " + key.getClass().getName()
              + " cannot be rendered into a Redis key, because " + e.getMessage()
              + "; give the cache annotation a key of values with state (key = \"#order.id\") or a"
              + " KeyGenerator that makes one, so that different keys never share one entry",
          e);
    }
  }

  private static String text(Object key) {
    if (key instanceof SimpleKey simple && PARAMS != null) {
      Object[] params;
      try {
        params = (Object[]) PARAMS.get(simple);
      } catch (IllegalAccessException e) {
        return CacheKeys.text(key);
      }
      return CacheKeys.tuple(params);
    }
    return CacheKeys.text(key);
  }

  private static Field simpleKeyParams() {
    try {
      Field params = SimpleKey.class.getDeclaredField("params");
      params.setAccessible(true);
      return params;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
