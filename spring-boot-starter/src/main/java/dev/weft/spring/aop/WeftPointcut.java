package dev.weft.spring.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * The methods the starter's proxies apply Weft's annotations to: those whose implementation in
 * the bean's class carries one of them and that no weaver has woven ({@link WovenMethods}). A
 * static or private method carries them in vain, since a proxy never sees its calls: it is left
 * out, and the first look at a class warns of each such method of it.
 */
final class WeftPointcut extends StaticMethodMatcherPointcut {

  private static final Logger log = LoggerFactory.getLogger(WeftPointcut.class);

  private final Set<Class<?>> looked = ConcurrentHashMap.newKeySet();

  @Override
  public boolean matches(Method method, Class<?> targetClass) {
    if (targetClass != null && looked.add(targetClass)) {
      warnOfUnreachable(targetClass);
    }
    Method implementation = AopUtils.getMostSpecificMethod(method, targetClass);
    return WovenMethods.annotated(implementation)
        && !unreachable(implementation)
        && !WovenMethods.woven(implementation);
  }

  private static boolean unreachable(Method method) {
    return Modifier.isStatic(method.getModifiers()) || Modifier.isPrivate(method.getModifiers());
  }

  private static void warnOfUnreachable(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method method : c.getDeclaredMethods()) {
        if (unreachable(method) && WovenMethods.annotated(method) && !WovenMethods.woven(method)) {
          log.warn("Weft's annotations on {} do nothing: a Spring proxy does not see calls of a"
                  + " {} method. Make it a non-private instance method, or weave the class (the"
                  + " Weft agent, or ajc with weft-aspectj)", method,
              Modifier.isStatic(method.getModifiers()) ? "static" : "private");
        }
      }
    }
  }
}
