package dev.weft.internal.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.WeftConfigurationException;
import dev.weft.internal.codec.JsonCodec.ValueCodec;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.redis.LuaScript;
import dev.weft.internal.redis.RedisGateway;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache-aside for one {@code @Cached} method: look the key up; on a miss run the method and store
 * its result with the entry's time to live.
 *
 * <h2>Round trips</h2>
 *
 * A hit is one plain {@code GET}: a read needs no atomicity, and running it as a script costs the
 * server a Lua call per hit (measured: EVALSHA for the lookup gave 0.87x the hit throughput of a
 * hand-written GET, a plain GET 1.0x; see docs/benchmarks.md). The write is the
 * {@code cache_store} script, the one place that enforces that no entry is written without a TTL.
 *
 * <h2>Failure policy</h2>
 *
 * Caching is an optimisation, so it fails open: when Redis is unreachable, slow past the command
 * timeout, or answers an error, the lookup counts as a miss and the store is skipped; the caller
 * gets the method's real result either way. An entry that no longer reads as the declared type
 * (say, the type changed in a deploy) is also a miss, and the fresh result overwrites it. A result
 * that cannot be written as JSON is a programming error and is thrown, naming the method and
 * type, rather than silently never caching.
 */
public final class CacheAside {

  private static final Logger log = LoggerFactory.getLogger(CacheAside.class);
  private static final LuaScript STORE = LuaScript.load("cache_store");

  /** Returned by {@link #lookup} when the entry is absent; a cached {@code null} is a hit. */
  public static final Object MISS = new Object() {
    @Override
    public String toString() {
      return "MISS";
    }
  };

  private final String method;
  private final KeyTemplate key;
  private final byte[] ttlMillis;
  private final ValueCodec codec;
  private final FailureLog failures;

  /**
   * @param method the annotated method as people read it, for messages
   * @param key the compiled key template
   * @param ttl the entry's time to live, positive
   * @param codec the codec for the method's declared return type
   */
  public CacheAside(String method, KeyTemplate key, Duration ttl, ValueCodec codec) {
    this.method = method;
    this.key = key;
    this.ttlMillis = Long.toString(ttl.toMillis()).getBytes(StandardCharsets.US_ASCII);
    this.codec = codec;
    this.failures = new FailureLog(log, method);
  }

  /**
   * @param args the call's arguments
   * @return the entry's key for this call, never {@code null}
   */
  public String key(Object[] args) {
    return key.render(args);
  }

  /**
   * @param redis where to look
   * @param entryKey the entry's key
   * @return the cached value (which may be {@code null}), or {@link #MISS}
   */
  public Object lookup(RedisGateway redis, String entryKey) {
    byte[] bytes;
    try {
      bytes = redis.execute(c -> c.get(entryKey));
    } catch (RedisException e) {
      failures.redisFailed("read", entryKey, e);
      return MISS;
    }
    if (bytes == null) {
      return MISS;
    }
    try {
      return codec.decode(bytes);
    } catch (IOException e) {
      log.warn(
          "{}: the entry '{}' does not read as {} ({}); treating it as a miss and overwriting it",
          method, entryKey, codec.type(), e.getMessage());
      return MISS;
    }
  }

  /**
   * Stores {@code value} under {@code entryKey} with the entry's time to live.
   *
   * @param redis where to store
   * @param entryKey the entry's key
   * @param value the method's result, may be {@code null}
   * @throws WeftConfigurationException if {@code value} cannot be written as the declared type
   */
  public void store(RedisGateway redis, String entryKey, Object value) {
    byte[] bytes;
    try {
      bytes = codec.encode(value);
    } catch (JsonProcessingException e) {
      throw new WeftConfigurationException(
          "@Cached on " + method + ": the result cannot be written as JSON of " + codec.type()
              + " (" + e.getOriginalMessage() + "); make the type serializable by Jackson"
              + " (public getters or fields, a record) or remove @Cached",
          e);
    }
    try {
      redis.run(STORE, ScriptOutputType.STATUS, new String[] {entryKey}, bytes, ttlMillis);
    } catch (RedisException e) {
      failures.redisFailed("write", entryKey, e);
    }
  }
}
