package dev.weft.spring.aop;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;

/**
 * The proxy mode's settings, under {@code weft.proxy.*}: Weft's annotations on beans whose classes
 * are not woven, applied through Spring AOP ({@link WeftAdvisor}).
 */
@ConfigurationProperties(prefix = "weft.proxy")
public class WeftProxyProperties {

  /** Whether Weft's annotations apply to beans whose classes are not woven, through proxies. */
  private boolean enabled = true;

  /**
   * Where Weft's advice sits among the proxy's other advice ({@code @Transactional},
   * {@code @Cacheable}...): the lowest precedence by default, innermost, next to the method, where
   * woven code runs.
   */
  private int order = Ordered.LOWEST_PRECEDENCE;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public int getOrder() {
    return order;
  }

  public void setOrder(int order) {
    this.order = order;
  }
}
