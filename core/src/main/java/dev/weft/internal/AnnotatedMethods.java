package dev.weft.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Finds listener methods by their annotation on objects a user registers (pub/sub, streams). */
public final class AnnotatedMethods {

  private AnnotatedMethods() {}

  /**
   * @param type the listener's class
   * @param annotation the annotation to look for
   * @param <A> the annotation's type
   * @return the methods of {@code type} and its superclasses that carry {@code annotation}, in
   *     declaration order, subclass first; an overridden method counts once (the overriding one,
   *     with its own annotation or none); bridges and synthetic methods are left out; a class
   *     generated at run time to proxy its superclass (Spring's CGLIB proxies, whose names hold
   *     {@code $$}) is looked through, so a proxied bean keeps its listener methods and calls
   *     reach them through the proxy
   */
  public static <A extends Annotation> Map<Method, A> of(Class<?> type, Class<A> annotation) {
    Map<Method, A> found = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    Class<?> start = type;
    while (start.getName().contains("$$") && start.getSuperclass() != null) {
      start = start.getSuperclass();
    }
    for (Class<?> c = start; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.isBridge() || m.isSynthetic()
            || !seen.add(m.getName() + Arrays.toString(m.getParameterTypes()))) {
          continue;
        }
        A a = m.getAnnotation(annotation);
        if (a != null) {
          found.put(m, a);
        }
      }
    }
    return found;
  }

  /**
   * @param m a method
   * @return it as people read it in messages: {@code com.acme.Orders.onOrder(Order, String)}
   */
  public static String describe(Method m) {
    return m.getDeclaringClass().getName() + "." + m.getName() + "("
        + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
            .collect(Collectors.joining(", ")) + ")";
  }
}
