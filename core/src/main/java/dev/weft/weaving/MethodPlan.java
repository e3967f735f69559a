package dev.weft.weaving;

import dev.weft.Weft;
import dev.weft.annotation.Cached;
import dev.weft.annotation.CachedBulk;
import dev.weft.annotation.Counted;
import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.Invalidate;
import dev.weft.annotation.RateLimited;
import dev.weft.annotation.WriteThrough;
import dev.weft.codec.ValueCodec;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.Granularity;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.cache.BulkCache;
import dev.weft.internal.cache.CacheAside;
import dev.weft.internal.cache.CacheStep;
import dev.weft.internal.cache.InvalidateStep;
import dev.weft.internal.cache.ResultShape;
import dev.weft.internal.cache.Sneaky;
import dev.weft.internal.cache.WriteThroughStep;
import dev.weft.internal.codec.JsonCodec;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.counter.CountedStep;
import dev.weft.internal.lock.LockStep;
import dev.weft.internal.plan.Durations;
import dev.weft.internal.plan.Invocation;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.plan.RuntimeRef;
import dev.weft.internal.plan.Step;
import dev.weft.internal.plan.Steps;
import dev.weft.internal.ratelimit.RateLimitStep;
import dev.weft.lock.LockOptions;
import dev.weft.ratelimit.Limit;
import dev.weft.syntax.NameSyntax;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Everything Weft needs to run one annotated method, built once from its annotations and reused
 * on every call.
 *
 * <h2>Design</h2>
 *
 * Weaving adapters are thin: AspectJ's advice and the agent's inlined advice, which cannot wrap
 * the body in a lambda, call {@link #enter} before the body and {@link #exit} after it, with the
 * opaque scope {@code enter} returned ({@link #around} does both, for the many-parameter aspect).
 * Every mode runs the same steps in the same order, so compile-time weaving, load-time weaving,
 * the agent and the programmatic API behave alike. The plan is an ordered list of {@link Step}s,
 * one per annotation, each holding its own per-call state ({@link Steps} runs them; {@link Step}
 * has the contract):
 *
 * <ol>
 *   <li>{@code @Counted}, outermost: nothing is done before the call, and when the call completes
 *       (for a future, when the future completes) each counter whose outcome it matches is
 *       incremented, without waiting for Redis and never failing the call. Being outermost, it
 *       counts calls as their caller made them: a cache hit counts as a success; a call refused
 *       by a rate limit or a lock, or failed by any step below, counts as a failure;
 *   <li>{@code @RateLimited}: every limit decided together (a denied call runs nothing else);
 *   <li>{@code @DistributedLock}: acquired here, released after the last step below (for a
 *       future, when it completes), whatever happens in between;
 *   <li>{@code @Invalidate(beforeInvocation = true)}, in declaration order;
 *   <li>{@code @Cached} lookup (a hit skips the body and everything after it);
 *   <li>the method body;
 *   <li>on normal return: the {@code @Cached} (or {@code @CachedBulk}) store, then
 *       {@code @WriteThrough}, then {@code @Invalidate} (after), in declaration order; then the
 *       lock's release and the count, as above. For a future, every one of these runs when it
 *       completes, in this order.
 * </ol>
 *
 * <p>A near-cached method with no step before its lookup (the common {@code @Cached(near = true)})
 * starts with the near cache alone, in a path small enough to be inlined into the woven method:
 * a hit renders no key and allocates nothing (docs/benchmarks.md, per-call overhead by weaving
 * mode): its scope is the hit the near tier keeps for the key, handed to every call it serves.
 * Anything else goes through the steps above. A method that is also {@code @Counted} does not
 * take that path: every call, near hits included, must be counted with its arguments, which the
 * shared scope of a near hit does not carry.
 *
 * <p>A call that is not made as the caller made it is not counted: a background refresh's
 * re-invocation of the method (see "Refreshes"), and a call of a misconfigured plan (it throws
 * {@link WeftConfigurationException} before anything runs).
 *
 * <p>All parsing and reflection (templates, durations, the generic return type) happens when the
 * plan is built; the values' codec is the runtime's, bound to the return type once per codec. A
 * plan whose annotations are wrong is still built: it throws the same {@link
 * WeftConfigurationException} at every call, before touching Redis.
 *
 * <p>The runtime is looked up per call, where {@code runtimeOf} says ({@link RuntimeRef}): the
 * global one ({@link Weft#global()}), or the runtime named by the annotations' {@code runtime}
 * attribute. So installing another global runtime, or building a named one after the method's
 * first call, takes effect for plans that already exist.
 *
 * <h2>Refreshes</h2>
 *
 * A background refresh (stale-while-revalidate, early refresh) is a real call of the method made
 * by Weft, on a refresh thread, with the caller's receiver and arguments, that skips exactly one
 * thing: its own cache lookup, which would only find the entry being refreshed. The refresh
 * re-invokes the woven method through reflection with a marker on its thread naming this plan's
 * re-invocation;
 * this plan's next entry on that thread takes the marker off and runs every step but the lookup:
 * its rate limit (a refresh takes a permit; refused, it fails and the stale value stays), its lock
 * (acquired by the method's own policy, except that the refresh waits for it at least as long as
 * its load lock lasts, {@code loadTimeout}: the call whose stale hit started the refresh holds that
 * lock until it returns; a refresh skipped by {@code onLocked = SKIP} stores nothing), its
 * invalidations and write-throughs. The cache store is the refresh's own ({@link CacheAside}),
 * under the load lock it took. Only {@code @Counted} leaves it out: it counts calls as callers
 * made them, and the caller whose call started the refresh was already counted, as a hit.
 *
 * <p>Everything the body calls is an ordinary call: nested woven methods, and this method called
 * again deeper down, run all their steps, lookup included, because the marker is gone before the
 * body starts. The marker is cleared when the re-invocation returns, so it never stays on a pool
 * thread; a future's continuations on other threads never see it. While no refresh runs anywhere
 * ({@code REFRESHING} is zero), a call does not look the marker up: the cost on every other call
 * is the one read of a shared counter it always had.
 */
public final class MethodPlan {

  // The refresh this thread is about to enter, until the plan it names takes it off (see Refreshes)
  private static final ThreadLocal<Refresh> REFRESH = new ThreadLocal<>();
  // How many threads are in a background refresh now: only then can REFRESH be set on any thread,
  // so while it is zero a call does not need to look REFRESH up.
  private static final AtomicInteger REFRESHING = new AtomicInteger();

  /** One background refresh's re-invocation of a plan's method. */
  private static final class Refresh {
    final Reinvocation of;
    boolean skipped;

    Refresh(Reinvocation of) {
      this.of = of;
    }
  }

  private final Method method;
  private final String description;
  private final Steps steps;
  private final Supplier<Weft> runtime;
  // A @Cached(near = true) method with nothing to do before its lookup: a near hit is the call
  private final CacheAside nearFirst;
  private final Reinvocation reinvocation;
  private final WeftConfigurationException error;
  // Only in a stand-in (see awaiting): completes with the plan every call goes to.
  private final CompletableFuture<MethodPlan> building;
  private MethodPlan built;

  private MethodPlan(
      Method method, String description, Steps steps, Supplier<Weft> runtime, CacheAside nearFirst,
      Reinvocation reinvocation, WeftConfigurationException error,
      CompletableFuture<MethodPlan> building) {
    this.method = method;
    this.description = description;
    this.steps = steps;
    this.runtime = runtime;
    this.nearFirst = nearFirst;
    this.reinvocation = reinvocation;
    this.error = error;
    this.building = building;
  }

  /**
   * Builds the plan for {@code method} from its Weft annotations.
   *
   * @param method the annotated method, not {@code null}
   * @return the plan, never {@code null}; a misconfigured method yields a plan that throws
   */
  public static MethodPlan build(Method method) {
    String description = describe(method);
    Supplier<Weft> runtime = Weft::global;
    try {
      runtime = runtimeOf(method, description);
      startRuntime(runtime);
      return new Builder(method, description, runtime).build();
    } catch (WeftConfigurationException e) {
      return new MethodPlan(method, description, null, runtime, null, null, e, null);
    }
  }

  /**
   * Where a plan gets its runtime: the one place that decides which {@link Weft} a woven method's
   * calls run on. Every call asks the supplier (at its first need), so installing another runtime
   * takes effect for plans that already exist.
   *
   * @param method the woven method
   * @param description the method as people read it
   * @return its runtime's source: the runtime its annotations name ({@link RuntimeRef}), else the
   *     process-wide {@link Weft#global()}
   * @throws WeftConfigurationException if its annotations name two runtimes, or a name that is no
   *     name
   */
  private static Supplier<Weft> runtimeOf(Method method, String description) {
    return RuntimeRef.of(method, description)::weft;
  }

  /**
   * Creates the plan's runtime, if there is none yet, so that it starts connecting to Redis while
   * the first plan is built rather than at the first call that needs it. A runtime that cannot be
   * created from the environment is reported by the call that uses it.
   */
  private static void startRuntime(Supplier<Weft> runtime) {
    try {
      runtime.get();
    } catch (RuntimeException e) {
      // thrown again, with its message, where the call needs the runtime
    }
  }

  /**
   * A stand-in for the plan of {@code method} while another thread builds it: each call waits
   * for that plan (parked, so that a virtual thread leaves its carrier) and goes through it. See
   * {@link Woven}, "First calls".
   *
   * @param method the annotated method, not {@code null}
   * @param building completes with its plan, not {@code null}
   * @return the stand-in, never {@code null}
   */
  static MethodPlan awaiting(Method method, CompletableFuture<MethodPlan> building) {
    return new MethodPlan(method, describe(method), null, null, null, null, null, building);
  }

  /** @return whether this is a stand-in for a plan still being built elsewhere */
  boolean standIn() {
    return building != null;
  }

  /** @return the plan a stand-in goes to, waiting for it while it is being built */
  private MethodPlan built() {
    MethodPlan plan = built;
    if (plan == null) {
      // Racy but benign: every field a plan's calls read is final, so a plan is seen whole.
      plan = building.join();
      built = plan;
    }
    return plan;
  }

  private static final class Builder {
    private final Method method;
    private final String description;
    private final Supplier<Weft> runtime;
    private final JsonCodec codec = JsonCodec.shared();
    private final ResultShape shape;

    /** @return the codec of values of the runtime serving the call */
    private ValueCodec valueCodec() {
      return WeftAccess.redis(runtime.get()).codec();
    }

    Builder(Method method, String description, Supplier<Weft> runtime) {
      this.method = method;
      this.description = description;
      this.runtime = runtime;
      this.shape = ResultShape.of(method);
    }

    /**
     * The steps in their order, outermost first: {@code @Counted}, {@code @RateLimited},
     * {@code @DistributedLock}, {@code @Invalidate(beforeInvocation = true)}, then the steps that
     * act after the body, listed so that their {@link Step#after}, which runs innermost first,
     * runs in the documented order: {@code @Invalidate} (after) in reverse declaration order,
     * {@code @WriteThrough}, and innermost the lookup, {@code @Cached} or {@code @CachedBulk}.
     */
    MethodPlan build() {
      // Background refreshes re-invoke the method reflectively, private ones included; where the
      // module system forbids it, the refresh fails and is logged, and callers keep the stale value.
      method.trySetAccessible();
      boolean isVoid = method.getReturnType() == void.class || method.getReturnType() == Void.class;
      Type resultType = isVoid ? null : shape.valueType();
      CacheAside cache = null;
      Cached cached = method.getAnnotation(Cached.class);
      if (cached != null) {
        if (isVoid) {
          throw error("@Cached", "the method returns void, so there is nothing to cache;"
              + " return the value or remove @Cached");
        }
        cache = new CacheAside(
            description, cacheSettings(cached), shape, shape.codec(this::valueCodec));
      }
      BulkCache bulk = null;
      CachedBulk bulkAnnotation = method.getAnnotation(CachedBulk.class);
      if (bulkAnnotation != null) {
        if (cached != null) {
          throw error("@CachedBulk", "cannot be combined with @Cached on one method; keep one");
        }
        bulk = bulk(bulkAnnotation);
      }
      List<WriteThroughStep> writes = new ArrayList<>();
      WriteThrough write = method.getAnnotation(WriteThrough.class);
      if (write != null) {
        if (isVoid) {
          throw error("@WriteThrough", "the method returns void, so there is nothing to write;"
              + " return the value or remove @WriteThrough");
        }
        writes.add(
            WriteThroughStep.of(
                description,
                template("@WriteThrough", "key", write.key(), resultType, false),
                templates("@WriteThrough", "tags", write.tags(), resultType),
                duration("@WriteThrough", "ttl", write.ttl(), false),
                duration("@WriteThrough", "jitter", write.jitter(), true),
                shape.codec(this::valueCodec)));
      }
      List<InvalidateStep> before = new ArrayList<>();
      List<InvalidateStep> after = new ArrayList<>();
      for (Invalidate inv : method.getAnnotationsByType(Invalidate.class)) {
        Type invResult = inv.beforeInvocation() ? null : resultType;
        if (inv.keys().length == 0 && inv.tags().length == 0 && inv.namespace().isEmpty()) {
          throw error("@Invalidate", "removes nothing; give keys, tags or a namespace");
        }
        InvalidateStep step =
            InvalidateStep.of(
                description,
                templates("@Invalidate", "keys", inv.keys(), invResult),
                templates("@Invalidate", "tags", inv.tags(), invResult),
                inv.namespace().isEmpty()
                    ? null
                    : template("@Invalidate", "namespace", inv.namespace(), invResult, false),
                inv.beforeInvocation());
        (inv.beforeInvocation() ? before : after).add(step);
      }
      Reinvocation reinvocation = new Reinvocation(method, description);
      List<CountedStep> counted = counted();
      RateLimitStep rateLimit = rateLimit();
      LockStep lock = lock(cache);
      List<Step> steps = new ArrayList<>(counted);
      if (rateLimit != null) {
        steps.add(rateLimit);
      }
      if (lock != null) {
        steps.add(lock);
      }
      steps.addAll(before);
      for (int i = after.size() - 1; i >= 0; i--) {
        steps.add(after.get(i));
      }
      steps.addAll(writes);
      if (cache != null) {
        steps.add(new CacheStep(cache, reinvocation));
      }
      if (bulk != null) {
        steps.add(bulk);
      }
      boolean nearFirst = counted.isEmpty() && rateLimit == null && lock == null
          && before.isEmpty() && cache != null && cache.near();
      return new MethodPlan(
          method, description, new Steps(description, steps, shape.future(), runtime), runtime,
          nearFirst ? cache : null, reinvocation, null, null);
    }

    private List<CountedStep> counted() {
      Counted[] annotations = method.getAnnotationsByType(Counted.class);
      if (annotations.length == 0) {
        return List.of();
      }
      List<CountedStep> steps = new ArrayList<>(annotations.length);
      Set<List<Object>> series = new HashSet<>();
      for (Counted c : annotations) {
        if (c.key().isEmpty()) {
          throw error("@Counted(key)", "is empty; give what is counted, a template such as"
              + " \"views:{page}\", or a fixed text such as \"views\" for one count of every call");
        }
        KeyTemplate key = template("@Counted", "key", c.key(), null, false);
        String nameProblem = NameSyntax.counterNameProblem("counter", c.name());
        if (nameProblem != null) {
          throw error("@Counted(name = \"" + c.name() + "\")", nameProblem);
        }
        Granularity granularity = CountedStep.granularity(c.granularity());
        Duration retention = granularity.defaultRetention();
        if (!c.retention().isBlank()) {
          retention = duration("@Counted", "retention", c.retention(), false);
          String retentionProblem = NameSyntax.retentionProblem(retention, c.retention());
          if (retentionProblem != null) {
            throw error("@Counted(retention = \"" + c.retention() + "\")", retentionProblem);
          }
        }
        if (!series.add(List.of(c.name(), granularity, c.key()))) {
          throw error("@Counted(key = \"" + c.key() + "\")", "counts into the same series as an"
              + " earlier @Counted on this method (name \"" + c.name() + "\", " + granularity
              + "), so a call would count twice; give it another key or name, or remove one");
        }
        steps.add(new CountedStep(
            description, key, c.name(), new CounterOptions(granularity, retention), c.outcome()));
      }
      return List.copyOf(steps);
    }

    private LockStep lock(CacheAside cache) {
      DistributedLock annotation = method.getAnnotation(DistributedLock.class);
      if (annotation == null) {
        return null;
      }
      Class<?> returns = method.getReturnType();
      if (annotation.onLocked() == DistributedLock.OnLocked.SKIP
          && returns.isPrimitive() && returns != void.class) {
        throw error("@DistributedLock(onLocked = SKIP)", "a skipped call would have to return "
            + (returns == int.class ? "an " : "a ") + returns
            + "; return a boxed type or Optional, or use onLocked = THROW");
      }
      Duration lease = duration("@DistributedLock", "lease", annotation.lease(), false);
      if (lease.toMillis() < 1) {
        throw error("@DistributedLock(lease = \"" + annotation.lease() + "\")",
            "the lease must be at least 1ms");
      }
      Duration hold = zeroOrMore("holdAtLeast", annotation.holdAtLeast());
      Duration maxHold = zeroOrMore("maxHold", annotation.maxHold());
      if (!maxHold.isZero() && maxHold.compareTo(lease) < 0) {
        throw error("@DistributedLock(maxHold = \"" + annotation.maxHold() + "\")",
            "is shorter than the lease (" + annotation.lease() + "), so the lock would end before"
                + " its first renewal; give a maxHold of at least the lease, or none");
      }
      LockOptions options =
          new LockOptions(lease, annotation.autoRenew(), hold, annotation.redlock(), maxHold);
      KeyTemplate key = annotation.key().isEmpty()
          ? null
          : template("@DistributedLock", "key", annotation.key(), null, false);
      return new LockStep(
          description, key, options,
          zeroOrMore("waitTime", annotation.waitTime()),
          annotation.onLocked(), shape.future(), skipValue(),
          cache == null ? null : cache.loadTimeout());
    }

    private Duration zeroOrMore(String attribute, String text) {
      try {
        return Durations.zeroOrMore(text);
      } catch (IllegalArgumentException e) {
        throw error("@DistributedLock(" + attribute + " = \"" + text + "\")", e.getMessage());
      }
    }

    /** What a call skipped by {@code onLocked = SKIP} returns. */
    private Object skipValue() {
      Class<?> returns = method.getReturnType();
      if (returns == Optional.class) {
        return Optional.empty();
      } else if (returns == OptionalInt.class) {
        return OptionalInt.empty();
      } else if (returns == OptionalLong.class) {
        return OptionalLong.empty();
      } else if (returns == OptionalDouble.class) {
        return OptionalDouble.empty();
      } else if (returns == CompletableFuture.class || returns == CompletionStage.class) {
        return CompletableFuture.completedFuture(null);
      }
      return null;
    }

    private RateLimitStep rateLimit() {
      RateLimited[] annotations = method.getAnnotationsByType(RateLimited.class);
      if (annotations.length == 0) {
        return null;
      }
      RateLimited first = annotations[0];
      List<Limit> limits = new ArrayList<>();
      for (RateLimited r : annotations) {
        if (!r.key().equals(first.key())) {
          throw error("@RateLimited(key = \"" + r.key() + "\")", "all @RateLimited on one method"
              + " must share one key, because their limits are decided together; use \""
              + first.key() + "\" here too, or move this limit to another method");
        }
        if (r.permits() < 1) {
          throw error("@RateLimited(permits = " + r.permits() + ")",
              "permits must be at least 1; give how many calls a window allows");
        }
        if (r.onLimit() != first.onLimit() || r.onRedisFailure() != first.onRedisFailure()
            || !r.maxWait().equals(first.maxWait())) {
          throw error("@RateLimited", "all @RateLimited on one method must share onLimit, maxWait"
              + " and onRedisFailure, because they are decided together; set them alike");
        }
        Duration window = duration("@RateLimited", "window", r.window(), false);
        Limit limit;
        try {
          limit = Limit.of(r.algorithm(), r.permits(), window);
        } catch (IllegalArgumentException e) {
          throw error("@RateLimited(algorithm = " + r.algorithm() + ", permits = " + r.permits()
              + ", window = \"" + r.window() + "\")", e.getMessage());
        }
        if (limits.contains(limit)) {
          throw error("@RateLimited", "repeats the limit " + limit + "; remove one");
        }
        limits.add(limit);
      }
      Duration maxWait = Duration.ZERO;
      if (first.onLimit() == RateLimited.OnLimit.WAIT) {
        if (first.maxWait().isBlank()) {
          throw error("@RateLimited(maxWait)", "onLimit = WAIT needs a maxWait, the longest a call"
              + " may wait for a permit, as in maxWait = \"2s\"");
        }
        maxWait = duration("@RateLimited", "maxWait", first.maxWait(), false);
      } else if (!first.maxWait().isBlank()) {
        throw error("@RateLimited(maxWait = \"" + first.maxWait() + "\")", "maxWait only applies"
            + " with onLimit = WAIT; remove it or set onLimit = WAIT");
      }
      KeyTemplate key =
          first.key().isEmpty() ? null : template("@RateLimited", "key", first.key(), null, false);
      return new RateLimitStep(
          description, key, limits, first.onLimit(), maxWait, first.onRedisFailure());
    }

    private BulkCache bulk(CachedBulk annotation) {
      if (!Map.class.isAssignableFrom(method.getReturnType())
          || !(method.getGenericReturnType() instanceof ParameterizedType mapType)) {
        throw error("@CachedBulk", "the method must return a Map<id, value>, but returns "
            + method.getGenericReturnType().getTypeName());
      }
      Type valueType = mapType.getActualTypeArguments()[1];
      Type[] params = method.getGenericParameterTypes();
      int found = -1;
      KeyTemplate key = null;
      IllegalArgumentException failure = null;
      for (int i = 0; i < params.length; i++) {
        Class<?> raw = method.getParameterTypes()[i];
        if (raw != Collection.class && raw != List.class && raw != Set.class) {
          continue;
        }
        Type element =
            params[i] instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
        KeyTemplate candidate;
        try {
          candidate = KeyTemplate.compile(annotation.key(), method, codec, null, i, element)
              .at("@CachedBulk(key = \"" + annotation.key() + "\") on " + description);
        } catch (IllegalArgumentException e) {
          // Seen as an element this parameter does not fit the key (or the key is wrong anyway);
          // another collection parameter may be the one the key names.
          failure = failure == null ? e : failure;
          continue;
        }
        if (candidate.parameters().contains(i)) {
          if (found >= 0) {
            throw error("@CachedBulk(key = \"" + annotation.key() + "\")",
                "names two collection parameters; name exactly one, whose elements are the ids");
          }
          found = i;
          key = candidate;
        }
      }
      if (found < 0 && failure != null) {
        throw error("@CachedBulk(key = \"" + annotation.key() + "\")", failure.getMessage());
      }
      if (found < 0) {
        throw error("@CachedBulk(key = \"" + annotation.key() + "\")",
            "names no parameter declared as Collection, List or Set; name the ids parameter,"
                + " as in \"product:{ids}\"");
      }
      return new BulkCache(
          description, key, found, BulkCache.isSet(method.getParameterTypes()[found]),
          duration("@CachedBulk", "ttl", annotation.ttl(), false),
          duration("@CachedBulk", "jitter", annotation.jitter(), true),
          annotation.cacheNulls(),
          TypedCodec.following(this::valueCodec, valueType));
    }

    private CacheAside.Settings cacheSettings(Cached cached) {
      return new CacheAside.Settings(
          template("@Cached", "key", cached.key(), null, true),
          CacheAside.Tags.of(templates("@Cached", "tags", cached.tags(), null)),
          duration("@Cached", "ttl", cached.ttl(), false),
          duration("@Cached", "jitter", cached.jitter(), true),
          cached.cacheNulls(),
          duration("@Cached", "staleWhileRevalidate", cached.staleWhileRevalidate(), true),
          cached.earlyRefresh(),
          cached.near(),
          duration("@Cached", "loadTimeout", cached.loadTimeout(), false));
    }

    private KeyTemplate template(
        String annotation, String attribute, String text, Type resultType, boolean emptyAllowed) {
      if (text.isEmpty() && !emptyAllowed) {
        throw error(annotation + "(" + attribute + ")", "is empty; give a template such as"
            + " \"product:{id}\"");
      }
      try {
        String where = text.isEmpty()
            ? annotation + "'s default key (the whole call) on " + description
            : annotation + "(" + attribute + " = \"" + text + "\") on " + description;
        return KeyTemplate.compile(text, method, codec, resultType).at(where);
      } catch (IllegalArgumentException e) {
        throw error(annotation + "(" + attribute + " = \"" + text + "\")", e.getMessage());
      }
    }

    private List<KeyTemplate> templates(
        String annotation, String attribute, String[] texts, Type resultType) {
      List<KeyTemplate> compiled = new ArrayList<>(texts.length);
      for (String text : texts) {
        compiled.add(template(annotation, attribute, text, resultType, false));
      }
      return List.copyOf(compiled);
    }

    private Duration duration(String annotation, String attribute, String text, boolean optional) {
      try {
        return optional ? Durations.optional(text) : Durations.positive(text);
      } catch (IllegalArgumentException e) {
        throw error(annotation + "(" + attribute + " = \"" + text + "\")", e.getMessage());
      }
    }

    private WeftConfigurationException error(String where, String what) {
      return new WeftConfigurationException(where + " on " + description + ": " + what);
    }
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
    Object scope = enter(target, args);
    if (skip(scope)) {
      return exit(scope, null, null);
    }
    Object returned;
    try {
      returned = body.proceed(args(scope, args));
    } catch (Throwable t) {
      exit(scope, null, t);
      throw t;
    }
    return exit(scope, returned, null);
  }

  /**
   * The first half of {@link #around}, for advice that cannot wrap the body.
   *
   * @param target the receiver, {@code null} for a static method
   * @param args the arguments, not {@code null}
   * @return the call's scope, not {@code null}, opaque: pass it to {@link #skip}, {@link #args} and
   *     {@link #exit}
   * @throws WeftConfigurationException if the method's annotations are wrong
   */
  public Object enter(Object target, Object[] args) {
    if (nearFirst != null) {
      Object hit = nearHit(args);
      if (hit != null) {
        return hit;
      }
    }
    return enterSteps(target, args);
  }

  /**
   * @param scope what {@link #enter} returned
   * @return whether the body must be skipped: the call's result is known (a cache hit, a call
   *     skipped because its lock is taken) and {@link #exit} returns it
   */
  public boolean skip(Object scope) {
    return !(scope instanceof Invocation call) || call.ended();
  }

  /**
   * @param scope what {@link #enter} returned
   * @param original the call's arguments
   * @return the arguments the body must run with: {@code original}, except for a bulk method,
   *     where the collection holds only the ids that missed
   */
  public Object[] args(Object scope, Object[] original) {
    return scope instanceof Invocation call ? call.bodyArgs() : original;
  }

  /**
   * The hot path of a near-cached method, kept small so that the JIT inlines it into the woven
   * method: no key rendered, no steps walked, nothing allocated. The scope of a hit is the hit
   * the near tier keeps, handed to every call it serves.
   *
   * @return the near tier's hit, or {@code null} to go through every step
   */
  private Object nearHit(Object[] args) {
    if (REFRESHING.get() > 0 && REFRESH.get() != null) {
      return null;
    }
    return nearFirst.nearHit(WeftAccess.cache(runtime.get()), args);
  }

  private Object enterSteps(Object target, Object[] args) {
    if (building != null) {
      return built().enter(target, args);
    }
    if (error != null) {
      throw error;
    }
    if (REFRESHING.get() > 0) {
      Refresh refresh = REFRESH.get();
      if (refresh != null && refresh.of == reinvocation) {
        REFRESH.remove();
        Invocation call = steps.before(target, args, true);
        refresh.skipped = call.ended();
        return call;
      }
    }
    return steps.before(target, args, false);
  }

  /**
   * The second half of {@link #around}.
   *
   * @param scope what {@link #enter} returned, not {@code null}
   * @param returned what the body returned (boxed), ignored when it was skipped or threw
   * @param thrown what the body threw, or {@code null}
   * @return the value the call must return (when {@code thrown} is {@code null})
   */
  public Object exit(Object scope, Object returned, Throwable thrown) {
    if (!(scope instanceof Invocation call)) {
      return ((CacheAside.Call) scope).value();
    }
    if (building != null) {
      return built().exit(scope, returned, thrown);
    }
    return steps.after(call, returned, thrown);
  }

  /**
   * A background refresh: the method called as its caller called it, minus its lookup. The
   * marker it leaves on its thread names this object, which the plan of the method holds.
   */
  private static final class Reinvocation implements CacheAside.Reloader {
    private final Method method;
    private final String description;

    Reinvocation(Method method, String description) {
      this.method = method;
      this.description = description;
    }

    @Override
    public Object reload(Object target, Object[] args) throws Exception {
      Refresh refresh = new Refresh(this);
      REFRESHING.incrementAndGet();
      REFRESH.set(refresh);
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw Sneaky.rethrow(e.getCause());
      } finally {
        REFRESH.remove();
        REFRESHING.decrementAndGet();
      }
      if (refresh.skipped) {
        throw new CacheAside.RefreshSkipped(
            description + ": refresh skipped, its @DistributedLock is held elsewhere");
      }
      return result;
    }
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
