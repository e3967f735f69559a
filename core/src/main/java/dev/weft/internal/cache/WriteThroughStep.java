package dev.weft.internal.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.plan.Invocation;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.plan.Step;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code @WriteThrough}: after the method returns normally, its result (for a future, what it
 * completes with) becomes the entry's value. The write announces the key on the change feed, so
 * near caches everywhere drop their copy. The write is unconditional (it is the newest value) and
 * makes any load of the key that is still running store nothing (see {@link CacheAside}). When the
 * write fails it is logged and the entry's removal is retried in the background ({@link Retries})
 * until applied or the entry's TTL has passed: writing the value later could overwrite a newer
 * one, removing it cannot. The method's result is returned either way.
 *
 * @param method the method as people read it, for messages
 * @param key the entry's key template (may use {@code {result}})
 * @param tags the entry's tag templates
 * @param ttl the entry's time to live
 * @param jitter the random extra lifetime, possibly zero
 * @param codec the codec for the method's result
 * @param failures where Redis failures are logged
 */
public record WriteThroughStep(
    String method,
    KeyTemplate key,
    List<KeyTemplate> tags,
    Duration ttl,
    Duration jitter,
    TypedCodec codec,
    FailureLog failures) implements Step {

  private static final Logger log = LoggerFactory.getLogger(WriteThroughStep.class);

  /** Creates the step with its own failure log. */
  public static WriteThroughStep of(
      String method, KeyTemplate key, List<KeyTemplate> tags, Duration ttl, Duration jitter,
      TypedCodec codec) {
    return new WriteThroughStep(method, key, tags, ttl, jitter, codec, new FailureLog(log, method));
  }

  /** @return {@code null}: nothing happens before the method */
  @Override
  public Object before(Invocation call) {
    return null;
  }

  /**
   * Writes the result, if the method returned normally (for a future, when it completes normally).
   *
   * @return {@code result}
   */
  @Override
  public Object after(Invocation call, Object state, Object result, Throwable thrown) {
    if (thrown == null) {
      write(call.cache(), call.args(), result);
    }
    return result;
  }

  /**
   * @param runtime the cache runtime
   * @param args the call's arguments
   * @param result the method's (completed) result
   */
  public void write(CacheRuntime runtime, Object[] args, Object result) {
    String entry = key.render(args, result);
    byte[] bytes;
    try {
      bytes = codec.encode(result);
    } catch (IOException e) {
      throw new WeftConfigurationException(
          "@WriteThrough on " + method + ": the result cannot be written as "
              + codec.typeName() + " (" + e.getMessage() + ")",
          e);
    }
    List<String> renderedTags = new ArrayList<>(tags.size());
    for (KeyTemplate tag : tags) {
      renderedTags.add(tag.render(args, result));
    }
    long ttlMillis = EntryStore.ttlMillis(ttl, jitter);
    try {
      EntryStore.put(runtime.redis(), entry, bytes, ttlMillis, renderedTags);
      runtime.retries().stored(ttlMillis);
    } catch (RedisException | WeftUnavailableException e) {
      failures.redisFailed("write", entry, e);
      runtime.retries().removeKey(entry, ttlMillis, e);
    }
  }
}
