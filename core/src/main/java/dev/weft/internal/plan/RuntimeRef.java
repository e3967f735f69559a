package dev.weft.internal.plan;

import dev.weft.Weft;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.annotation.Cached;
import dev.weft.annotation.CachedBulk;
import dev.weft.annotation.Counted;
import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.Invalidate;
import dev.weft.annotation.RateLimited;
import dev.weft.annotation.WriteThrough;
import dev.weft.internal.NamedRuntimes;
import dev.weft.syntax.NameSyntax;
import java.lang.reflect.Method;

/**
 * The runtime one woven method uses: the global one ({@link Weft#global()}), or the one named by
 * its annotations' {@code runtime} attribute. A method's plan resolves its runtime here, and only
 * here, at every call that needs it (see {@link NamedRuntimes} for why per call, and why a missing
 * name is not waited for).
 */
public final class RuntimeRef {

  private static final RuntimeRef GLOBAL = new RuntimeRef(null, null);

  private final NamedRuntimes.Slot slot;
  private final String namedBy;

  private RuntimeRef(NamedRuntimes.Slot slot, String namedBy) {
    this.slot = slot;
    this.namedBy = namedBy;
  }

  /** @return the reference to the global runtime, never {@code null} */
  public static RuntimeRef global() {
    return GLOBAL;
  }

  /**
   * Reads the {@code runtime} attribute of the woven annotations on {@code method}: one method
   * uses one runtime, and annotations that leave it empty follow the one that names it.
   *
   * @param method the annotated method, not {@code null}
   * @param description the method as messages name it
   * @return the method's runtime, never {@code null}
   * @throws WeftConfigurationException if a name is not valid, or two annotations name different
   *     runtimes
   */
  public static RuntimeRef of(Method method, String description) {
    Named named = new Named(description);
    Cached cached = method.getAnnotation(Cached.class);
    if (cached != null) {
      named.add("@Cached", cached.runtime());
    }
    CachedBulk bulk = method.getAnnotation(CachedBulk.class);
    if (bulk != null) {
      named.add("@CachedBulk", bulk.runtime());
    }
    WriteThrough write = method.getAnnotation(WriteThrough.class);
    if (write != null) {
      named.add("@WriteThrough", write.runtime());
    }
    for (Invalidate each : method.getAnnotationsByType(Invalidate.class)) {
      named.add("@Invalidate", each.runtime());
    }
    for (RateLimited each : method.getAnnotationsByType(RateLimited.class)) {
      named.add("@RateLimited", each.runtime());
    }
    DistributedLock lock = method.getAnnotation(DistributedLock.class);
    if (lock != null) {
      named.add("@DistributedLock", lock.runtime());
    }
    for (Counted each : method.getAnnotationsByType(Counted.class)) {
      named.add("@Counted", each.runtime());
    }
    return named.name == null
        ? GLOBAL
        : new RuntimeRef(
            NamedRuntimes.slot(named.name),
            named.by + "(runtime = \"" + named.name + "\") on " + description);
  }

  /** @return whether this is the global runtime */
  public boolean isGlobal() {
    return slot == null;
  }

  /**
   * @return the runtime, never {@code null}; a closed one when the runtime of this name was closed
   *     and none was built again (its calls fail open)
   * @throws WeftConfigurationException if no runtime of this name was ever built, or the global
   *     runtime cannot be created (see {@link Weft#global()})
   */
  public Weft weft() {
    if (slot == null) {
      return Weft.global();
    }
    Weft weft = slot.runtime();
    if (weft == null) {
      throw new WeftConfigurationException(
          namedBy + ": no runtime named \"" + slot.name() + "\" has been built in this process;"
              + " build it before the method's first call, with Weft.builder().name(\""
              + slot.name() + "\")...build() (in Spring, a @Bean that this method's bean"
              + " @DependsOn), or remove runtime to use the global runtime");
    }
    return weft;
  }

  @Override
  public String toString() {
    return slot == null ? "the global runtime" : "the runtime \"" + slot.name() + "\"";
  }

  /** The name the annotations of one method agree on, checked as they are read. */
  private static final class Named {
    private final String description;
    private String name;
    private String by;

    Named(String description) {
      this.description = description;
    }

    void add(String annotation, String runtime) {
      if (runtime.isEmpty()) {
        return;
      }
      String problem = NameSyntax.runtimeNameProblem(runtime);
      if (problem != null) {
        throw error(annotation, runtime, problem);
      }
      if (name == null) {
        name = runtime;
        by = annotation;
      } else if (!name.equals(runtime)) {
        throw error(annotation, runtime, "names another runtime than " + by + "(runtime = \""
            + name + "\"); one method uses one runtime: name the same, or leave it empty on"
            + " every annotation but one");
      }
    }

    private WeftConfigurationException error(String annotation, String runtime, String what) {
      return new WeftConfigurationException(
          annotation + "(runtime = \"" + runtime + "\") on " + description + ": " + what);
    }
  }
}
