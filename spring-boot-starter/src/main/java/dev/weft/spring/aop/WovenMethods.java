package dev.weft.spring.aop;

import dev.weft.annotation.WovenAnnotations;
import dev.weft.weaving.WovenByAgent;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * Which methods carry Weft's annotations, and which of those a weaver has woven already: the
 * starter's proxies apply the annotations of the first kind that are not of the second.
 *
 * <h2>Design</h2>
 *
 * <p>A woven method runs its plan in its own body; proxied as well, each call would run it twice
 * (two cache look-ups, two rate-limit decisions, a lock taken twice). So the starter looks, by
 * reflection, for what each weaver leaves in the class it wove:
 *
 * <ul>
 *   <li><b>ajc</b> (compile-time weaving, and AspectJ load-time weaving with weft-aspectj's
 *       aop.xml) moves the body of every method it puts around advice on into a static method of
 *       the same class named {@code <method>_aroundBody<n>}, whether it inlines the advice
 *       (Weft's {@code WeftAspect}) or calls it through a closure ({@code
 *       WeftAspectManyParameters}). A Weft-annotated method with such a sibling is woven: the only
 *       around advice that a Weft annotation brings is Weft's.
 *   <li><b>the Weft agent</b> changes no class's shape (a loaded class may be retransformed), so
 *       it marks each method it weaves with {@link WovenByAgent}, an annotation, which
 *       retransformation may add.
 * </ul>
 *
 * Neither is looked for in the class file as stored: under load-time weaving and the agent the
 * stored class is the unwoven one.
 */
public final class WovenMethods {

  private static final Set<String> ANNOTATIONS = Set.copyOf(WovenAnnotations.binaryNames());
  private static final String AROUND_BODY = "_aroundBody";

  private WovenMethods() {}

  /**
   * @param method a method, not {@code null}
   * @return whether it carries one of Weft's woven annotations ({@link WovenAnnotations}), itself
   *     (not inherited from a method it overrides, as weaving sees it)
   */
  public static boolean annotated(Method method) {
    for (Annotation annotation : method.getDeclaredAnnotations()) {
      if (ANNOTATIONS.contains(annotation.annotationType().getName())) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param method a method, not {@code null}
   * @return whether ajc or the Weft agent has woven it: its calls run its plan without a proxy
   */
  public static boolean woven(Method method) {
    if (method.isAnnotationPresent(WovenByAgent.class)) {
      return true;
    }
    String body = method.getName() + AROUND_BODY;
    for (Method sibling : method.getDeclaringClass().getDeclaredMethods()) {
      String name = sibling.getName();
      if (name.startsWith(body) && name.length() > body.length()
          && Character.isDigit(name.charAt(body.length()))) {
        return true;
      }
    }
    return false;
  }
}
