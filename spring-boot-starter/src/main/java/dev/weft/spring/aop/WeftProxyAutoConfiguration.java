package dev.weft.spring.aop;

import dev.weft.Weft;
import dev.weft.spring.boot.InstalledRuntime;
import dev.weft.spring.boot.WeftAutoConfiguration;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Weft's annotations on the beans of an application that neither a build plugin nor an agent
 * wove: one {@link WeftAdvisor}, which Spring's auto-proxy creator applies to every bean with a
 * Weft-annotated method that is not woven, as {@code @EnableCaching} applies {@code @Cacheable}.
 * Off with {@code weft.proxy.enabled=false} ({@link WeftProxyProperties}); only where the
 * application has a {@link Weft} runtime bean.
 *
 * <p>The advisor and this configuration are infrastructure beans, created when the auto-proxy
 * creator first looks for advisors, before most of the application: they depend on nothing but
 * the {@code Environment}. The runtime is installed ({@link InstalledRuntime}) at the first call,
 * if no bean has made the context create it yet, so that a call made while the context starts
 * runs on the context's runtime and not on one {@code Weft.global()} would make from the
 * process's environment.
 */
@AutoConfiguration(after = WeftAutoConfiguration.class)
@ConditionalOnProperty(prefix = "weft.proxy", name = "enabled", matchIfMissing = true)
@ConditionalOnBean(Weft.class)
@Import(WeftProxyAutoConfiguration.AutoProxying.class)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
public class WeftProxyAutoConfiguration {

  /**
   * @param environment where {@code weft.proxy.*} is read
   * @param runtime the context's installed runtime, asked for at the first call
   * @return the advisor
   */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  public static WeftAdvisor weftAdvisor(
      Environment environment, ObjectProvider<InstalledRuntime> runtime) {
    WeftProxyProperties properties = Binder.get(environment)
        .bindOrCreate("weft.proxy", WeftProxyProperties.class);
    WeftAdvisor advisor = new WeftAdvisor(() -> {
      try {
        runtime.getIfAvailable();
      } catch (RuntimeException closing) {
        // the context is closing: Weft.global() is what remains
      }
    });
    advisor.setOrder(properties.getOrder());
    return advisor;
  }

  /** Registers Spring's infrastructure auto-proxy creator, unless one is registered already. */
  static final class AutoProxying implements ImportBeanDefinitionRegistrar {
    @Override
    public void registerBeanDefinitions(
        AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
    }
  }
}
