package dev.weft.spring.aop;

import dev.weft.weaving.Woven;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;

/**
 * Runs a proxied call through its method's plan, as woven code does: {@code
 * Woven.plan(method).around(receiver, args, body)}, the body being the rest of the proxy's chain.
 *
 * <h2>Design</h2>
 *
 * <p><b>The plan of the implementation.</b> Through an interface (a JDK proxy) the call names the
 * interface's method; the annotations are on the bean class's method, whose plan runs ({@link
 * AopUtils#getMostSpecificMethod}, found once per method and class). So a woven and a proxied
 * method share one plan, one key derivation, one message naming the method.
 *
 * <p><b>Arguments.</b> A bulk method's body runs with only the ids that missed: the plan hands
 * them to the body, which sets them on the invocation before it proceeds.
 *
 * <p><b>The receiver.</b> A background refresh calls the method again, reflectively, on the
 * receiver the plan was given, and expects its own plan to see that call (it skips the look-up
 * and runs the method's other steps: its rate limit, its lock). A class-based proxy is an
 * instance of the bean's class, so it is the receiver, and the refresh comes back through the
 * proxy like any call. A JDK proxy is not: the target is the receiver, and a refresh runs the
 * body bare (its result is still stored), without the method's own limit, lock or invalidation.
 */
final class WeftMethodInterceptor implements MethodInterceptor {

  private final Runnable beforeFirstCall;
  private final Map<MethodClassKey, Method> implementations = new ConcurrentHashMap<>();
  private volatile boolean started;

  /** @param beforeFirstCall run once, before the first call is intercepted */
  WeftMethodInterceptor(Runnable beforeFirstCall) {
    this.beforeFirstCall = beforeFirstCall;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    if (!started) {
      beforeFirstCall.run();
      started = true;
    }
    Object target = invocation.getThis();
    Method method = implementation(invocation.getMethod(), target);
    if (!(invocation instanceof ProxyMethodInvocation call)) {
      throw new IllegalStateException("not a Spring AOP proxy's invocation: " + invocation);
    }
    Object proxy = call.getProxy();
    Object receiver = method.getDeclaringClass().isInstance(proxy) ? proxy : target;
    return Woven.plan(method).around(receiver, call.getArguments(), args -> {
      call.setArguments(args);
      return call.proceed();
    });
  }

  private Method implementation(Method method, Object target) {
    if (target == null) {
      return method;
    }
    Class<?> type = AopUtils.getTargetClass(target);
    if (type == method.getDeclaringClass()) {
      return method;
    }
    return implementations.computeIfAbsent(
        new MethodClassKey(method, type), key -> AopUtils.getMostSpecificMethod(method, type));
  }
}
