package dev.weft.spring.boot;

import dev.weft.weaving.AnnotationProperties;
import java.util.function.Function;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Lets {@code ${...}} in Weft's annotation attributes ({@code @Cached(ttl = "${users.ttl:10m}")})
 * read the application's {@link Environment}: {@code application.yml}, profiles, config trees and
 * everything else Spring reads, with its relaxed names. Installed while the bean factory is
 * post-processed, before any application bean exists, so no woven method's plan is built without
 * it; the previous lookup is put back when the context closes.
 */
final class EnvironmentProperties
    implements BeanFactoryPostProcessor, EnvironmentAware, DisposableBean, Ordered {

  private Environment environment;
  private Function<String, String> installed;
  private Function<String, String> previous;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    Environment env = environment;
    installed = env::getProperty;
    previous = AnnotationProperties.use(installed);
  }

  @Override
  public void destroy() {
    synchronized (AnnotationProperties.class) {
      if (AnnotationProperties.installed() == installed) {
        AnnotationProperties.use(previous);
      }
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
