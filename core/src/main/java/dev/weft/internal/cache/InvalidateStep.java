package dev.weft.internal.cache;

import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.plan.Invocation;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.plan.Step;
import io.lettuce.core.RedisException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code @Invalidate}: removes entries by key, by tag and by namespace, before or after the
 * method. Template values are used literally: a key value of {@code "*"} removes the entry named
 * {@code *}; a namespace is matched at a {@code :} boundary with its glob characters escaped
 * ({@link EntryStore#deleteNamespace}).
 *
 * <p>A removal that fails (Redis unavailable, or an error reply) is logged (at most once per
 * interval), the call goes on, and the removal is retried in the background ({@link Retries})
 * until it is applied or the entries' TTL has passed. Each key, tag and namespace is removed on
 * its own, so one failure does not stop the others.
 *
 * @param method the method as people read it, for messages
 * @param keys key templates
 * @param tags tag templates
 * @param namespace a namespace template, or {@code null}
 * @param before whether to run before the method
 * @param failures where Redis failures are logged
 */
public record InvalidateStep(
    String method,
    List<KeyTemplate> keys,
    List<KeyTemplate> tags,
    KeyTemplate namespace,
    boolean before,
    FailureLog failures) implements Step {

  private static final Logger log = LoggerFactory.getLogger(InvalidateStep.class);

  /** Creates the step with its own failure log. */
  public static InvalidateStep of(
      String method, List<KeyTemplate> keys, List<KeyTemplate> tags, KeyTemplate namespace,
      boolean before) {
    return new InvalidateStep(method, keys, tags, namespace, before, new FailureLog(log, method));
  }

  /**
   * Removes the entries now, if this invalidation runs before the method.
   *
   * @return {@code null}: no state
   */
  @Override
  public Object before(Invocation call) {
    if (before) {
      run(call.cache(), call.args(), null);
    }
    return null;
  }

  /**
   * Removes the entries, if this invalidation runs after the method and it returned normally (for
   * a future, when it completes normally).
   *
   * @return {@code result}
   */
  @Override
  public Object after(Invocation call, Object state, Object result, Throwable thrown) {
    if (!before && thrown == null) {
      run(call.cache(), call.args(), result);
    }
    return result;
  }

  /**
   * @param runtime the cache runtime
   * @param args the call's arguments
   * @param result the method's result, {@code null} before the call
   */
  public void run(CacheRuntime runtime, Object[] args, Object result) {
    for (KeyTemplate key : keys) {
      String entry = key.render(args, result);
      try {
        EntryStore.delete(runtime.redis(), entry);
      } catch (RedisException | WeftUnavailableException e) {
        failures.redisFailed("invalidate", entry, e);
        runtime.retries().removeKey(entry, 0, e);
      }
    }
    for (KeyTemplate template : tags) {
      String tag = template.render(args, result);
      try {
        EntryStore.deleteTag(runtime.redis(), tag);
      } catch (RedisException | WeftUnavailableException e) {
        failures.redisFailed("invalidate", "tag " + tag, e);
        runtime.retries().removeTag(tag, e);
      }
    }
    if (namespace != null) {
      String prefix = namespace.renderNamespace(args, result);
      if (prefix.isEmpty()) {
        throw new IllegalArgumentException(
            "@Invalidate(namespace) on " + method + " rendered an empty prefix, which would"
                + " remove every key; refusing");
      }
      try {
        EntryStore.deleteNamespace(runtime.redis(), prefix);
      } catch (RedisException | WeftUnavailableException e) {
        failures.redisFailed("invalidate", "namespace " + prefix, e);
        runtime.retries().removeNamespace(prefix, e);
      }
    }
  }
}
