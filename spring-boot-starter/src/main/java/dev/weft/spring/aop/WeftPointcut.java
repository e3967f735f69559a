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
 * static or private method carries them in vain, since a proxy never sees its calls: it is
 * left out, with a warning, once.
 */
final class WeftPointcut extends StaticMethodMatcherPointcut {

  private static final Logger log = LoggerFactory.getLogger(WeftPointcut.class);

  private final Set<Method> warned = ConcurrentHashMap.newKeySet();

  @Override
  public boolean matches(Method method, Class<?> targetClass) {
    Method implementation = AopUtils.getMostSpecificMethod(method, targetClass);
    if (!WovenMethods.annotated(implementation) || WovenMethods.woven(implementation)) {
      return false;
    }
    int modifiers = implementation.getModifiers();
    if (Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers)) {
      if (warned.add(implementation)) {
        log.warn("Weft's annotations on {} do nothing: a Spring proxy does not see calls of a {}"
                + " method. Make it a public instance method, or weave the class (the Weft agent,"
                + " or ajc with weft-aspectj)", implementation,
            Modifier.isStatic(modifiers) ? "static" : "private");
      }
      return false;
    }
    return true;
  }
}
