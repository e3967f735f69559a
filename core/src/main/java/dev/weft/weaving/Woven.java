package dev.weft.weaving;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where weaving adapters find the {@link MethodPlan} of a woven method. Plans are built on the
 * first call and kept per declaring class (a {@link ClassValue}, so they go away with the class
 * loader).
 *
 * <p>This is an adapter SPI, not an application API: AspectJ's aspect looks plans up by
 * {@link Method}; the agent's woven code, which only has constants at hand, by class and JVM
 * method descriptor: through a dynamic constant ({@link #constant}) in class files of Java 11 and
 * later, a constant call site ({@link #callSite}) in those of Java 7 to 10, and a look-up per call
 * ({@link #plan(Class, String)}) in older ones.
 *
 * <h2>Design</h2>
 *
 * <p><b>First calls.</b> The first caller of a woven method builds its plan; callers that come
 * while it builds get at once a stand-in ({@link MethodPlan#awaiting}) whose calls wait for the
 * built plan and go through it. They must not wait here: the agent's {@link #constant} runs inside
 * the JVM's resolution of a dynamic constant, a native frame, where a virtual thread that blocks
 * cannot leave its carrier. The JVM keeps the first value a bootstrap returns, and so does a constant
 * call site ({@link #callSite}), so a method whose first calls came together keeps the stand-in
 * as its constant, at the cost of one more field read per call outside a near hit; every other
 * path (the aspect's, class files older than Java 7) neither caches nor {@link #remember}s a
 * stand-in, and finds the built plan at its next
 * call. Plans used to be built in {@code
 * ConcurrentHashMap.computeIfAbsent}: a thousand virtual threads making a process's first call
 * of one method waited on its bin's monitor, each holding a carrier, for the whole first build
 * (0.5 s on a cold JVM; JFR {@code jdk.VirtualThreadPinned} at {@code computeIfAbsent} under
 * {@code Woven.constant}), and after that on the class initialization of what the build loads
 * (Jackson). The agent's {@code VirtualThreadsIT} on JDK 25 is the regression test.
 */
public final class Woven {

  private static final ClassValue<Plans> PLANS =
      new ClassValue<>() {
        @Override
        protected Plans computeValue(Class<?> type) {
          return new Plans(type);
        }
      };

  private Woven() {}

  /**
   * @param method a method carrying Weft annotations, not {@code null}
   * @return its plan, never {@code null}
   */
  public static MethodPlan plan(Method method) {
    return PLANS.get(method.getDeclaringClass()).byMethod(method);
  }

  /**
   * @param owner the declaring class, not {@code null}
   * @param nameAndDescriptor the method's name followed by its JVM descriptor, as in
   *     {@code find(J)Lcom/acme/User;}
   * @return its plan, never {@code null}
   * @throws IllegalArgumentException if {@code owner} declares no such method
   */
  public static MethodPlan plan(Class<?> owner, String nameAndDescriptor) {
    return PLANS.get(owner).byDescriptor(nameAndDescriptor);
  }

  /**
   * The bootstrap of a dynamic constant ({@code CONSTANT_Dynamic}) that stands for a woven
   * method's plan: the agent loads the plan with one {@code ldc} of such a constant, which the JVM
   * resolves once, at the first call, and the JIT then treats as a constant, so a call does not
   * look the plan up at all.
   *
   * @param lookup the woven class's lookup, given by the JVM, not {@code null}
   * @param name the constant's name, unused
   * @param type {@code MethodPlan.class}
   * @param nameAndDescriptor the method's name followed by its JVM descriptor
   * @return its plan, never {@code null}
   */
  public static MethodPlan constant(
      MethodHandles.Lookup lookup, String name, Class<?> type, String nameAndDescriptor) {
    return plan(lookup.lookupClass(), nameAndDescriptor);
  }

  /**
   * The bootstrap of an {@code invokedynamic} that stands for a woven method's plan, for class
   * files of Java 7 to 10, which cannot hold a dynamic constant ({@link #constant}) but can call
   * a constant call site: linked once, at the first call, and then, like the dynamic constant, a
   * constant to the JIT.
   *
   * @param lookup the woven class's lookup, given by the JVM, not {@code null}
   * @param name the call site's name, unused
   * @param type {@code ()MethodPlan}
   * @param nameAndDescriptor the method's name followed by its JVM descriptor
   * @return a call site that always returns the plan, never {@code null}
   */
  public static CallSite callSite(
      MethodHandles.Lookup lookup, String name, MethodType type, String nameAndDescriptor) {
    MethodPlan plan = plan(lookup.lookupClass(), nameAndDescriptor);
    return new ConstantCallSite(MethodHandles.constant(MethodPlan.class, plan).asType(type));
  }

  /**
   * The plan remembered for a call site, if any: a cache in front of {@link #plan(Method)} for
   * adapters that have one object per woven method at hand at every call but no place to keep the
   * plan in (AspectJ's {@code thisJoinPointStaticPart}). A miss is not an answer: look the plan up
   * and {@link #remember} it.
   *
   * @param site the call site's object, the same at every call, not {@code null}
   * @return its plan, or {@code null} if none is remembered
   */
  public static MethodPlan remembered(Object site) {
    SiteEntry entry = SITES[System.identityHashCode(site) & (SITES.length - 1)];
    if (entry != null && entry.get() == site) {
      return entry.plan.get();
    }
    return null;
  }

  /**
   * Remembers {@code plan} for {@code site}, unless another live site holds its slot (see {@link
   * #remembered}): then that site keeps it, and this one is looked up at every call, as without
   * this cache, but nothing is allocated for it again and again.
   *
   * @param site the call site's object, not {@code null}
   * @param plan its plan, not {@code null}; a stand-in for a plan still being built is not
   *     remembered
   * @return {@code plan}
   */
  public static MethodPlan remember(Object site, MethodPlan plan) {
    if (plan.standIn()) {
      return plan; // looked up again at the next call, when it will have been built
    }
    int slot = System.identityHashCode(site) & (SITES.length - 1);
    SiteEntry taken = SITES[slot];
    if (taken == null || taken.get() == null || taken.plan.get() == null) {
      SITES[slot] = new SiteEntry(site, plan);
    }
    return plan;
  }

  /**
   * A direct-mapped cache from call-site objects to plans: one slot per identity hash, the first
   * live site to hash there keeps it. Entries refer weakly to both, so the cache, which lives in weft-core's
   * class loader, never keeps an application's classes (a plan refers to its {@code Method}) from
   * being unloaded; the plan itself is kept by {@link #PLANS} as long as its class lives. Slots are
   * written without synchronization: a reader sees an old entry, a new one or none, each whole.
   */
  private static final SiteEntry[] SITES = new SiteEntry[4096];

  private static final class SiteEntry extends WeakReference<Object> {
    final WeakReference<MethodPlan> plan;

    SiteEntry(Object site, MethodPlan plan) {
      super(site);
      this.plan = new WeakReference<>(plan);
    }
  }

  private static final class Plans {
    // More keys than a class has woven methods means a caller that makes a new key per call.
    private static final int MOST_REMEMBERED = 256;

    private final Class<?> owner;
    private final ConcurrentHashMap<Method, MethodPlan> byMethod = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MethodPlan> byDescriptor = new ConcurrentHashMap<>();
    // Plans being built, and built: the first caller of a method builds, the others wait on it.
    private final ConcurrentHashMap<Method, CompletableFuture<MethodPlan>> building =
        new ConcurrentHashMap<>();
    // The adapters' keys are the same objects at every call (the Method that AspectJ's signature
    // keeps, the agent's descriptor constant), so an identity map, copied on write and never
    // changed once published, answers them without hashing a Method or a String.
    private volatile Map<Object, MethodPlan> byIdentity = new IdentityHashMap<>();

    Plans(Class<?> owner) {
      this.owner = owner;
    }

    MethodPlan byMethod(Method method) {
      MethodPlan plan = byIdentity.get(method);
      if (plan != null) {
        return plan;
      }
      plan = byMethod.get(method);
      return plan != null ? remember(method, plan) : build(method);
    }

    /** Builds the plan, or, if another thread is building it, returns a stand-in at once. */
    private MethodPlan build(Method method) {
      CompletableFuture<MethodPlan> mine = new CompletableFuture<>();
      CompletableFuture<MethodPlan> theirs = building.putIfAbsent(method, mine);
      if (theirs != null) {
        MethodPlan done = theirs.getNow(null);
        return done != null ? remember(method, done) : MethodPlan.awaiting(method, theirs);
      }
      MethodPlan plan;
      try {
        plan = MethodPlan.build(method);
      } catch (RuntimeException | Error e) {
        building.remove(method, mine);
        mine.completeExceptionally(e);
        throw e;
      }
      byMethod.put(method, plan);
      mine.complete(plan);
      return remember(method, plan);
    }

    MethodPlan byDescriptor(String nameAndDescriptor) {
      MethodPlan plan = byIdentity.get(nameAndDescriptor);
      if (plan != null) {
        return plan;
      }
      plan = byDescriptor.get(nameAndDescriptor);
      if (plan != null) {
        return remember(nameAndDescriptor, plan);
      }
      for (Method m : owner.getDeclaredMethods()) {
        if (nameAndDescriptor.equals(m.getName() + Descriptors.of(m))) {
          plan = byMethod(m);
          if (plan.standIn()) {
            return plan;
          }
          byDescriptor.putIfAbsent(nameAndDescriptor, plan);
          return remember(nameAndDescriptor, plan);
        }
      }
      throw new IllegalArgumentException(owner.getName() + " declares no method " + nameAndDescriptor);
    }

    private synchronized MethodPlan remember(Object key, MethodPlan plan) {
      if (byIdentity.size() < MOST_REMEMBERED) {
        Map<Object, MethodPlan> copy = new IdentityHashMap<>(byIdentity);
        copy.put(key, plan);
        byIdentity = copy;
      }
      return plan;
    }

  }
}
