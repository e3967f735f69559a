package dev.weft.weaving;

import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where weaving adapters find the {@link MethodPlan} of a woven method. Plans are built on the
 * first call and kept per declaring class (a {@link ClassValue}, so they go away with the class
 * loader).
 *
 * <p>This is an adapter SPI, not an application API: AspectJ's aspect looks plans up by
 * {@link Method}; the agent's advice, which only has constants at hand, by class and JVM method
 * descriptor.
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

  private static final class Plans {
    private final Class<?> owner;
    private final ConcurrentHashMap<Method, MethodPlan> byMethod = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MethodPlan> byDescriptor = new ConcurrentHashMap<>();

    Plans(Class<?> owner) {
      this.owner = owner;
    }

    MethodPlan byMethod(Method method) {
      MethodPlan plan = byMethod.get(method);
      return plan != null ? plan : byMethod.computeIfAbsent(method, this::create);
    }

    MethodPlan byDescriptor(String nameAndDescriptor) {
      MethodPlan plan = byDescriptor.get(nameAndDescriptor);
      if (plan != null) {
        return plan;
      }
      for (Method m : owner.getDeclaredMethods()) {
        if (nameAndDescriptor.equals(m.getName() + Descriptors.of(m))) {
          plan = byMethod(m);
          byDescriptor.putIfAbsent(nameAndDescriptor, plan);
          return plan;
        }
      }
      throw new IllegalArgumentException(owner.getName() + " declares no method " + nameAndDescriptor);
    }

    private MethodPlan create(Method method) {
      return MethodPlan.build(method);
    }
  }
}
