package dev.weft.spring.cache;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.springframework.aop.support.AopUtils;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Gives each cached method the view of its Weft caches that reads values as the method's return
 * type ({@link WeftSpringCache}, Design): a {@link CacheResolver} in front of the one Spring's
 * cache interceptor would use, replacing the {@link WeftSpringCache}s it resolves by their views
 * and passing other caches through. The value type is what Spring caches for the method: the
 * return type, unwrapped from {@code Optional}, {@code CompletableFuture} (any {@code
 * CompletionStage} or {@code Future}) and Reactor's {@code Mono}; a {@code Flux<T>} is cached as
 * a {@code List<T>}. Computed once per method.
 */
final class ValueTypeCacheResolver implements CacheResolver {

  private final CacheResolver delegate;
  private final Supplier<WeftCacheManager> manager;
  private final Map<Object, Type> types = new ConcurrentHashMap<>();
  /** The manager once asked for: a bean look-up per call cost a quarter of a Redis hit. */
  private volatile WeftCacheManager known;

  /**
   * @param delegate the resolver the interceptor had, or {@code null}: then the caches are the
   *     operation's names in {@code manager}
   * @param manager the Weft cache manager, asked only when {@code delegate} is {@code null}
   */
  ValueTypeCacheResolver(CacheResolver delegate, Supplier<WeftCacheManager> manager) {
    this.delegate = delegate;
    this.manager = manager;
  }

  @Override
  public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
    Type type = valueType(context);
    if (delegate == null) {
      WeftCacheManager weft = known;
      if (weft == null) {
        weft = manager.get();
        known = weft;
      }
      List<Cache> caches = new ArrayList<>();
      for (String name : context.getOperation().getCacheNames()) {
        Cache cache = weft.getCache(name, type);
        if (cache == null) {
          throw new IllegalArgumentException(
              "Cannot find cache named '" + name + "' for " + context.getOperation());
        }
        caches.add(cache);
      }
      return caches;
    }
    Collection<? extends Cache> resolved = delegate.resolveCaches(context);
    List<Cache> caches = new ArrayList<>(resolved.size());
    for (Cache cache : resolved) {
      caches.add(cache instanceof WeftSpringCache weft ? weft.withValueType(type) : cache);
    }
    return caches;
  }

  private Type valueType(CacheOperationInvocationContext<?> context) {
    Method method = context.getMethod();
    Class<?> target = context.getTarget() == null ? null : AopUtils.getTargetClass(context.getTarget());
    return types.computeIfAbsent(
        target == null ? method : List.of(method, target), k -> valueType(method, target));
  }

  static Type valueType(Method method, Class<?> target) {
    ResolvableType returned = ResolvableType.forMethodReturnType(method, target);
    Class<?> raw = returned.resolve(Object.class);
    if (raw == void.class) {
      return Object.class;
    }
    if (raw == Optional.class
        || CompletionStage.class.isAssignableFrom(raw)
        || Future.class.isAssignableFrom(raw)
        || raw.getName().equals("reactor.core.publisher.Mono")) {
      return resolved(returned.getGeneric(0));
    }
    if (raw.getName().equals("reactor.core.publisher.Flux")) {
      return ResolvableType.forClassWithGenerics(List.class, returned.getGeneric(0)).getType();
    }
    return resolved(returned);
  }

  private static Type resolved(ResolvableType type) {
    Class<?> raw = type.resolve();
    if (raw == null) {
      return Object.class;
    }
    if (raw.isPrimitive()) {
      return ClassUtils.resolvePrimitiveIfNecessary(raw);
    }
    Type declared = type.getType();
    return declared instanceof Class<?> || type.hasUnresolvableGenerics() || variable(declared)
        ? raw
        : declared;
  }

  /** @return whether {@code type} names a type variable anywhere, which no codec can read as */
  private static boolean variable(Type type) {
    if (type instanceof TypeVariable<?> || type instanceof WildcardType) {
      return true;
    }
    if (type instanceof GenericArrayType array) {
      return variable(array.getGenericComponentType());
    }
    if (type instanceof ParameterizedType parameterized) {
      for (Type argument : parameterized.getActualTypeArguments()) {
        if (variable(argument)) {
          return true;
        }
      }
    }
    return false;
  }
}
