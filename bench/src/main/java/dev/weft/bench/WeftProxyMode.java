package dev.weft.bench;

import dev.weft.Weft;
import dev.weft.spring.aop.WeftProxyAutoConfiguration;
import java.util.function.Supplier;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * A bean whose class the build left unwoven, with Weft's annotations applied by the starter's
 * Spring AOP proxy mode: a plain {@link AnnotationConfigApplicationContext} holding the runtime,
 * the bean, and the starter's {@link WeftProxyAutoConfiguration} (its advisor and Spring's
 * infrastructure auto-proxy creator), with class-based (CGLIB) proxies, as Spring Boot makes them
 * by default ({@code spring.aop.proxy-target-class=true}). The advisor's calls run on the
 * installed runtime ({@code Weft.global()}), which the caller installs and closes.
 *
 * @param <T> the bean's class
 */
final class WeftProxyMode<T> implements AutoCloseable {

  private final AnnotationConfigApplicationContext context;
  private final T bean;

  /**
   * @param weft the runtime, installed; the caller closes it
   * @param type the bean's class, unwoven
   * @param instance makes the bean
   * @throws IllegalStateException if the bean is not a CGLIB proxy
   */
  WeftProxyMode(Weft weft, Class<T> type, Supplier<T> instance) {
    context = new AnnotationConfigApplicationContext();
    context.registerBean(Weft.class, () -> weft, definition -> definition.setDestroyMethodName(""));
    context.registerBean(type, instance);
    context.register(ProxyConfig.class);
    context.refresh();
    bean = context.getBean(type);
    if (!AopUtils.isCglibProxy(bean)) {
      throw new IllegalStateException(type.getSimpleName() + " is not a CGLIB proxy");
    }
  }

  /** @return the proxied bean */
  T bean() {
    return bean;
  }

  @Override
  public void close() {
    context.close();
  }

  /** The starter's proxy mode, with class-based proxies. */
  @Configuration(proxyBeanMethods = false)
  @Import({WeftProxyAutoConfiguration.class, ClassProxying.class})
  static class ProxyConfig {}

  /** What Spring Boot's {@code AopAutoConfiguration} does by default: CGLIB proxies. */
  static final class ClassProxying implements ImportBeanDefinitionRegistrar {
    @Override
    public void registerBeanDefinitions(
        AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
      AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
    }
  }
}
