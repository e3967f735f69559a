package dev.weft.pubsub;

import dev.weft.annotation.Subscribe;
import dev.weft.internal.AnnotatedMethods;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked {@link Subscribe} method of one listener object: found once at registration, called
 * for each message.
 */
final class ListenerMethod {

  private final Object target;
  private final Method method;
  private final String topic;
  private final boolean pattern;
  private final boolean takesChannel;

  private ListenerMethod(
      Object target, Method method, String topic, boolean pattern, boolean takesChannel) {
    this.target = target;
    this.method = method;
    this.topic = topic;
    this.pattern = pattern;
    this.takesChannel = takesChannel;
  }

  /**
   * Finds and checks the {@link Subscribe} methods of {@code listener}'s class and superclasses
   * (an overridden method counts once).
   *
   * @param listener the listener object
   * @param runtime the name of the runtime it is registered with, empty if it has none
   * @return its methods, possibly empty
   * @throws IllegalArgumentException naming the first method that cannot work, and the fix
   */
  static List<ListenerMethod> find(Object listener, String runtime) {
    List<ListenerMethod> found = new ArrayList<>();
    AnnotatedMethods.of(listener.getClass(), Subscribe.class)
        .forEach((m, a) -> found.add(check(listener, m, a, runtime)));
    return found;
  }


  private static ListenerMethod check(Object listener, Method m, Subscribe s, String runtime) {
    String where = "@Subscribe on " + AnnotatedMethods.describe(m);
    if (!s.runtime().isEmpty() && !s.runtime().equals(runtime)) {
      throw new IllegalArgumentException(where + " names runtime = \"" + s.runtime() + "\", but is"
          + " registered with " + (runtime.isEmpty() ? "a runtime without a name" : "the runtime \""
          + runtime + "\"") + ": register it with the runtime built with Weft.builder().name(\""
          + s.runtime() + "\"), or remove runtime to let it listen on any");
    }
    boolean hasChannel = !s.channel().isEmpty();
    boolean hasPattern = !s.pattern().isEmpty();
    if (hasChannel && hasPattern) {
      throw new IllegalArgumentException(where + " sets both channel = \"" + s.channel()
          + "\" and pattern = \"" + s.pattern() + "\": set exactly one, channel for one channel"
          + " by its exact name, pattern for every channel matching a glob such as \"orders.*\"");
    }
    if (!hasChannel && !hasPattern) {
      throw new IllegalArgumentException(where + " sets neither channel nor pattern: set one,"
          + " such as @Subscribe(channel = \"prices\") or @Subscribe(pattern = \"orders.*\")");
    }
    Type[] params = m.getGenericParameterTypes();
    if (params.length < 1 || params.length > 2) {
      throw new IllegalArgumentException(where + " has " + params.length + " parameters: a"
          + " @Subscribe method takes the message and, optionally, the channel's name as a"
          + " String, such as void onPrice(Price price) or void onPrice(Price price, String"
          + " channel)");
    }
    if (params.length == 2 && m.getParameterTypes()[1] != String.class) {
      throw new IllegalArgumentException(where + " has a second parameter of type "
          + m.getParameterTypes()[1].getName() + ": the second parameter receives the channel's"
          + " name and must be a String, such as void onPrice(Price price, String channel)");
    }
    if (!m.trySetAccessible()) {
      throw new IllegalArgumentException(where + " cannot be called by Weft (its module does not"
          + " open the package): make the method and its class public");
    }
    return new ListenerMethod(listener, m, hasChannel ? s.channel() : s.pattern(), hasPattern,
        params.length == 2);
  }

  String topic() {
    return topic;
  }

  boolean pattern() {
    return pattern;
  }

  Type messageType() {
    return method.getGenericParameterTypes()[0];
  }

  String describe() {
    return AnnotatedMethods.describe(method);
  }

  void invoke(String channel, Object message) throws Throwable {
    try {
      if (takesChannel) {
        method.invoke(target, message, channel);
      } else {
        method.invoke(target, message);
      }
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

}
