package dev.weft.weaving;

import dev.weft.Weft;
import dev.weft.WeftConfigurationException;
import dev.weft.annotation.Cached;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.cache.CacheAside;
import dev.weft.internal.codec.JsonCodec;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.syntax.DurationSyntax;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.StringJoiner;

/**
 * Everything Weft needs to run one annotated method, built once from its annotations and reused
 * on every call.
 *
 * <h2>Design</h2>
 *
 * Weaving adapters are thin: AspectJ's around advice calls {@link #around}; the agent's inlined
 * advice, which cannot wrap the body in a lambda, calls {@link #enter} before the body and
 * {@link #exit} after it. Both paths run the same steps in the same order, so compile-time
 * weaving, load-time weaving, the agent and the programmatic API behave alike.
 *
 * <p>All parsing and reflection (templates, durations, the Jackson type of the generic return
 * type) happens when the plan is built. A plan whose annotations are wrong is still built: it
 * throws the same {@link WeftConfigurationException} at every call, before touching Redis, rather
 * than re-parsing or letting the method run unguarded.
 *
 * <p>The runtime is looked up per call ({@link Weft#global()}), so installing another runtime
 * takes effect for plans that already exist.
 */
public final class MethodPlan {

  private final String description;
  private final CacheAside cache;
  private final WeftConfigurationException error;

  private MethodPlan(String description, CacheAside cache, WeftConfigurationException error) {
    this.description = description;
    this.cache = cache;
    this.error = error;
  }

  /**
   * Builds the plan for {@code method} from its Weft annotations.
   *
   * @param method the annotated method, not {@code null}
   * @return the plan, never {@code null}; a misconfigured method yields a plan that throws
   */
  public static MethodPlan build(Method method) {
    String description = describe(method);
    Cached cached = method.getAnnotation(Cached.class);
    if (cached == null) {
      return new MethodPlan(description, null, null);
    }
    try {
      return new MethodPlan(description, cacheAside(method, description, cached), null);
    } catch (WeftConfigurationException e) {
      return new MethodPlan(description, null, e);
    }
  }

  private static CacheAside cacheAside(Method method, String description, Cached cached) {
    Class<?> returnType = method.getReturnType();
    if (returnType == void.class || returnType == Void.class) {
      throw new WeftConfigurationException(
          "@Cached on " + description + ": the method returns void, so there is nothing to cache;"
              + " return the value or remove @Cached");
    }
    JsonCodec codec = JsonCodec.shared();
    KeyTemplate key;
    try {
      key = KeyTemplate.compile(cached.key(), method, codec);
    } catch (IllegalArgumentException e) {
      throw new WeftConfigurationException(
          "@Cached(key = \"" + cached.key() + "\") on " + description + ": " + e.getMessage(), e);
    }
    Duration ttl;
    try {
      ttl = DurationSyntax.parsePositive(cached.ttl());
    } catch (IllegalArgumentException e) {
      throw new WeftConfigurationException(
          "@Cached(ttl = \"" + cached.ttl() + "\") on " + description + ": " + e.getMessage(), e);
    }
    return new CacheAside(
        description, key, ttl, codec.forType(codec.javaType(method.getGenericReturnType())));
  }

  /**
   * Runs one call around the method body.
   *
   * @param target the receiver, {@code null} for a static method
   * @param args the arguments, not {@code null}
   * @param body runs the original method body
   * @return the call's result, boxed
   * @throws Throwable what the body throws, unchanged, or a {@link WeftConfigurationException}
   */
  public Object around(Object target, Object[] args, Proceed body) throws Throwable {
    if (error != null) {
      throw error;
    }
    if (cache == null) {
      return body.proceed();
    }
    RedisGateway redis = WeftAccess.redis(Weft.global());
    String key = cache.key(args);
    Object found = cache.lookup(redis, key);
    if (found != CacheAside.MISS) {
      return found;
    }
    Object result = body.proceed();
    cache.store(redis, key, result);
    return result;
  }

  /**
   * The first half of {@link #around}, for advice that cannot wrap the body.
   *
   * @param target the receiver, {@code null} for a static method
   * @param args the arguments, not {@code null}
   * @return the scope to pass to {@link #exit}; if {@link CallScope#skip()} the body must not run
   * @throws WeftConfigurationException if the method's annotations are wrong
   */
  public CallScope enter(Object target, Object[] args) {
    if (error != null) {
      throw error;
    }
    if (cache == null) {
      return CallScope.PASS;
    }
    String key = cache.key(args);
    Object found = cache.lookup(WeftAccess.redis(Weft.global()), key);
    if (found != CacheAside.MISS) {
      return new CallScope(true, found, key);
    }
    return new CallScope(false, null, key);
  }

  /**
   * The second half of {@link #around}.
   *
   * @param scope what {@link #enter} returned, not {@code null}
   * @param returned what the body returned (boxed), ignored when it was skipped or threw
   * @param thrown what the body threw, or {@code null}
   * @return the value the call must return (when {@code thrown} is {@code null})
   */
  public Object exit(CallScope scope, Object returned, Throwable thrown) {
    if (scope.skip()) {
      return scope.value();
    }
    if (thrown == null && scope.cacheKey != null) {
      cache.store(WeftAccess.redis(Weft.global()), scope.cacheKey, returned);
    }
    return returned;
  }

  /** @return the method as people read it, e.g. {@code com.acme.Users.find(long)} */
  @Override
  public String toString() {
    return description;
  }

  private static String describe(Method method) {
    StringJoiner params =
        new StringJoiner(", ", method.getDeclaringClass().getName() + "." + method.getName() + "(", ")");
    for (Class<?> type : method.getParameterTypes()) {
      params.add(type.getSimpleName());
    }
    return params.toString();
  }
}
