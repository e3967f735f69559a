package dev.weft.aspectj;

import dev.weft.spring.aop.WeftAdvisor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;

/**
 * The behaviour suite's fixtures as a Spring application's beans are in proxy mode ({@link
 * Mode#fixture}): a class-based proxy with the Spring Boot starter's {@link WeftAdvisor}, made as
 * Spring's auto-proxy creator makes it (only when the advisor applies to the class, which it does
 * not to a woven one). Compiled in weft-agent's tests, where the starter is, and called by name
 * from {@link Mode}, which weft-aspectj's tests compile without Spring.
 */
public final class SpringProxies {

  private static final WeftAdvisor ADVISOR = new WeftAdvisor();

  private SpringProxies() {}

  /**
   * @param target an unwoven fixture
   * @return its proxy, whose fields hold the fixture's values; or {@code target} if the advisor
   *     does not apply to its class
   */
  public static Object proxy(Object target) {
    if (!AopUtils.canApply(ADVISOR, target.getClass())) {
      return target;
    }
    ProxyFactory factory = new ProxyFactory(target);
    factory.setProxyTargetClass(true);
    factory.addAdvisor(ADVISOR);
    Object proxy = factory.getProxy(target.getClass().getClassLoader());
    shareFields(target, proxy);
    return proxy;
  }

  /** The proxy's fields (which its calls never use) point at the fixture's state. */
  private static void shareFields(Object target, Object proxy) {
    for (Class<?> type = target.getClass(); type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        try {
          field.setAccessible(true);
          field.set(proxy, field.get(target));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot share " + field, e);
        }
      }
    }
  }
}
