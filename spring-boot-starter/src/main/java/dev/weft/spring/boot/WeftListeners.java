package dev.weft.spring.boot;

import dev.weft.Weft;
import dev.weft.annotation.StreamListener;
import dev.weft.annotation.Subscribe;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.pubsub.Subscriber;
import dev.weft.stream.StreamConsumers;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Subscribes the {@code @Subscribe} methods and starts the {@code @StreamListener} methods of the
 * context's singleton beans when the context starts, and stops them when it stops, which Spring
 * does before it closes any bean, so before the runtime closes.
 *
 * <p>A bean's listeners go to the runtime its annotations name ({@code runtime = "billing"}: the
 * {@link Weft} bean built with that name), else to the context's one unnamed or only runtime. A
 * class-proxied bean (CGLIB) is registered as the proxy, so its other advice
 * ({@code @Transactional}, ...) applies to its listener methods; an interface-proxied bean (a JDK
 * proxy, whose class carries no annotations) is registered as its target.
 */
public final class WeftListeners implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WeftListeners.class);

  private final ConfigurableListableBeanFactory beans;
  private final List<AutoCloseable> running = new ArrayList<>();
  private volatile boolean started;

  WeftListeners(ConfigurableListableBeanFactory beans) {
    this.beans = beans;
  }

  @Override
  public synchronized void start() {
    Map<Weft, List<Object>> subscribers = new LinkedHashMap<>();
    Map<Weft, List<Object>> consumers = new LinkedHashMap<>();
    for (String name : beans.getBeanNamesForType(Object.class, false, false)) {
      if (!beans.containsBeanDefinition(name)) {
        continue;
      }
      BeanDefinition definition = beans.getBeanDefinition(name);
      if (definition.getRole() == BeanDefinition.ROLE_INFRASTRUCTURE || definition.isLazyInit()
          || definition.isAbstract()) {
        continue;
      }
      Class<?> type = beans.getType(name, false);
      if (type == null) {
        continue;
      }
      Class<?> user = ClassUtils.getUserClass(type);
      Set<String> subscribeRuntimes = runtimes(user, Subscribe.class);
      Set<String> streamRuntimes = runtimes(user, StreamListener.class);
      if (subscribeRuntimes.isEmpty() && streamRuntimes.isEmpty()) {
        continue;
      }
      Object listener = listener(beans.getBean(name));
      if (!subscribeRuntimes.isEmpty()) {
        subscribers.computeIfAbsent(runtime(name, subscribeRuntimes), w -> new ArrayList<>())
            .add(listener);
      }
      if (!streamRuntimes.isEmpty()) {
        consumers.computeIfAbsent(runtime(name, streamRuntimes), w -> new ArrayList<>())
            .add(listener);
      }
    }
    try {
      subscribers.forEach((weft, listeners) -> {
        Subscriber subscriber = weft.subscriber(listeners.toArray());
        running.add(subscriber);
        log.info("Weft subscribed the @Subscribe methods of {} bean(s)", listeners.size());
      });
      consumers.forEach((weft, listeners) -> {
        StreamConsumers group = weft.streamConsumers(listeners.toArray());
        running.add(group);
        log.info("Weft started the @StreamListener methods of {} bean(s)", listeners.size());
      });
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    started = true;
  }

  @Override
  public synchronized void stop() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        log.warn("Weft could not stop a listener container cleanly: {}", e.toString());
      }
    }
    running.clear();
    started = false;
  }

  @Override
  public boolean isRunning() {
    return started;
  }

  private static Object listener(Object bean) {
    Object current = bean;
    while (Proxy.isProxyClass(current.getClass()) && AopUtils.isAopProxy(current)) {
      Object target = AopProxyUtils.getSingletonTarget(current);
      if (target == null) {
        break;
      }
      current = target;
    }
    return current;
  }

  private static Set<String> runtimes(Class<?> type, Class<? extends Annotation> annotation) {
    Set<String> names = new LinkedHashSet<>();
    Map<Method, ? extends Annotation> found =
        MethodIntrospector.selectMethods(
            type,
            (MethodIntrospector.MetadataLookup<Annotation>)
                m -> AnnotatedElementUtils.findMergedAnnotation(m, annotation));
    for (Annotation a : found.values()) {
      names.add(a instanceof Subscribe s ? s.runtime() : ((StreamListener) a).runtime());
    }
    return names;
  }

  private Weft runtime(String bean, Set<String> names) {
    if (names.size() > 1) {
      throw new WeftConfigurationException(
          "the bean '" + bean + "' has listener methods for the runtimes " + names + ": put the"
              + " listeners of each runtime on a bean of their own");
    }
    String wanted = names.iterator().next();
    List<Weft> all = new ArrayList<>(beans.getBeansOfType(Weft.class).values());
    List<Weft> matching = new ArrayList<>();
    for (Weft weft : all) {
      if (wanted.isEmpty() ? all.size() == 1 || weft.name().isEmpty() : wanted.equals(weft.name())) {
        matching.add(weft);
      }
    }
    if (matching.size() != 1) {
      throw new WeftConfigurationException(
          "the bean '" + bean + "' has listener methods for "
              + (wanted.isEmpty() ? "no named runtime" : "the runtime '" + wanted + "'")
              + ", and the context has " + matching.size() + " Weft beans that fit: "
              + (wanted.isEmpty()
                  ? "say runtime = \"...\" on the listener methods, or keep one unnamed Weft bean"
                  : "define a Weft bean built with name(\"" + wanted + "\"), or set weft.name="
                      + wanted));
    }
    return matching.get(0);
  }
}
