package dev.weft.spring.aop;

import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;

/**
 * Weft's annotations through Spring AOP: a proxy's calls of a bean's Weft-annotated methods run
 * through their plans ({@code dev.weft.weaving.MethodPlan}), exactly as woven methods do, when
 * the bean's class is not woven (neither ajc nor the Weft agent touched it: {@link
 * WovenMethods}). {@link WeftProxyAutoConfiguration} registers one for the application's beans;
 * a {@code ProxyFactory} takes one as any advisor.
 *
 * <p>What a proxy cannot do, it does not: calls from inside the bean ({@code this.find(id)}) do
 * not go through the proxy, nor do calls of static, private or (class-based proxies) final
 * methods. Weaving has none of these limits.
 */
public class WeftAdvisor extends AbstractPointcutAdvisor {

  private static final long serialVersionUID = 1L;

  private final transient WeftPointcut pointcut = new WeftPointcut();
  private final transient WeftMethodInterceptor interceptor;

  /** An advisor whose calls use the runtime that woven methods use ({@code Weft.global()}). */
  public WeftAdvisor() {
    this(() -> {});
  }

  /**
   * @param beforeFirstCall run once, before the first call is intercepted: the starter makes sure
   *     there that the context's runtime is installed
   */
  WeftAdvisor(Runnable beforeFirstCall) {
    this.interceptor = new WeftMethodInterceptor(beforeFirstCall);
  }

  @Override
  public Pointcut getPointcut() {
    return pointcut;
  }

  @Override
  public Advice getAdvice() {
    return interceptor;
  }
}
