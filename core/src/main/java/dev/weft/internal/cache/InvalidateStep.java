package dev.weft.internal.cache;

import dev.weft.internal.plan.KeyTemplate;
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
 * <p>When Redis is unavailable the removal cannot happen; it is logged (at most once per interval)
 * and the call goes on. Entries then live until their TTL: keep TTLs as short as staleness allows.
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
    FailureLog failures) {

  private static final Logger log = LoggerFactory.getLogger(InvalidateStep.class);

  /** Creates the step with its own failure log. */
  public static InvalidateStep of(
      String method, List<KeyTemplate> keys, List<KeyTemplate> tags, KeyTemplate namespace,
      boolean before) {
    return new InvalidateStep(method, keys, tags, namespace, before, new FailureLog(log, method));
  }

  /**
   * @param runtime the cache runtime
   * @param args the call's arguments
   * @param result the method's result, {@code null} before the call
   */
  public void run(CacheRuntime runtime, Object[] args, Object result) {
    String what = null;
    try {
      for (KeyTemplate key : keys) {
        what = key.render(args, result);
        EntryStore.delete(runtime.redis(), what);
      }
      for (KeyTemplate tag : tags) {
        what = "tag " + tag.render(args, result);
        EntryStore.deleteTag(runtime.redis(), tag.render(args, result));
      }
      if (namespace != null) {
        String prefix = namespace.renderNamespace(args, result);
        what = "namespace " + prefix;
        if (prefix.isEmpty()) {
          throw new IllegalArgumentException(
              "@Invalidate(namespace) on " + method + " rendered an empty prefix, which would"
                  + " remove every key; refusing");
        }
        EntryStore.deleteNamespace(runtime.redis(), prefix);
      }
    } catch (RedisException e) {
      failures.redisFailed("invalidate", what, e);
    }
  }
}
