package dev.weft.stream;

import dev.weft.annotation.StreamListener;
import dev.weft.internal.AnnotatedMethods;
import dev.weft.syntax.DurationSyntax;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked {@link StreamListener} method of one listener object: found once at registration,
 * called for each entry.
 */
final class ListenerMethod {

  private final Object target;
  private final Method method;
  private final StreamListener annotation;
  private final ConsumerOptions options;

  private ListenerMethod(
      Object target, Method method, StreamListener annotation, ConsumerOptions options) {
    this.target = target;
    this.method = method;
    this.annotation = annotation;
    this.options = options;
  }

  /**
   * Finds and checks the {@link StreamListener} methods of {@code listener}'s class and
   * superclasses (an overridden method counts once).
   *
   * @param listener the listener object
   * @param runtime the name of the runtime it is registered with, empty if it has none
   * @return its methods, possibly empty
   * @throws IllegalArgumentException naming the first method that cannot work, and the fix
   */
  static List<ListenerMethod> find(Object listener, String runtime) {
    List<ListenerMethod> found = new ArrayList<>();
    AnnotatedMethods.of(listener.getClass(), StreamListener.class)
        .forEach((m, a) -> found.add(check(listener, m, a, runtime)));
    return found;
  }


  private static ListenerMethod check(Object listener, Method m, StreamListener s, String runtime) {
    String where = "@StreamListener on " + AnnotatedMethods.describe(m);
    if (!s.runtime().isEmpty() && !s.runtime().equals(runtime)) {
      throw new IllegalArgumentException(where + " names runtime = \"" + s.runtime() + "\", but is"
          + " registered with " + (runtime.isEmpty() ? "a runtime without a name" : "the runtime \""
          + runtime + "\"") + ": register it with the runtime built with Weft.builder().name(\""
          + s.runtime() + "\"), or remove runtime to let it listen on any");
    }
    if (s.stream().isEmpty()) {
      throw new IllegalArgumentException(where + " has an empty stream: name the stream's key,"
          + " such as stream = \"orders\"");
    }
    if (s.group().isEmpty()) {
      throw new IllegalArgumentException(where + " has an empty group: name the consumer group"
          + " that shares the work, such as group = \"billing\"");
    }
    Duration minIdle;
    try {
      minIdle = DurationSyntax.parsePositive(s.minIdle());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " has an invalid minIdle: " + e.getMessage()
          + " (longer than the method ever takes, such as minIdle = \"30s\")", e);
    }
    if (s.maxDeliveries() < 0) {
      throw new IllegalArgumentException(where + " has maxDeliveries = " + s.maxDeliveries()
          + ": use 1 or more (such as maxDeliveries = 5), or 0 to never dead-letter");
    }
    if (s.batch() < 1) {
      throw new IllegalArgumentException(where + " has batch = " + s.batch()
          + ": a read fetches at least 1 entry, such as batch = 10");
    }
    Type[] params = m.getGenericParameterTypes();
    if (params.length < 1 || params.length > 2) {
      throw new IllegalArgumentException(where + " has " + params.length + " parameters: a"
          + " @StreamListener method takes the message and, optionally, the entry's id as a"
          + " String, such as void bill(Order order) or void bill(Order order, String entryId)");
    }
    if (params.length == 2 && m.getParameterTypes()[1] != String.class) {
      throw new IllegalArgumentException(where + " has a second parameter of type "
          + m.getParameterTypes()[1].getName() + ": the second parameter receives the entry's id"
          + " and must be a String, such as void bill(Order order, String entryId)");
    }
    if (!m.trySetAccessible()) {
      throw new IllegalArgumentException(where + " cannot be called by Weft (its module does not"
          + " open the package): make the method and its class public");
    }
    return new ListenerMethod(listener, m, s,
        new ConsumerOptions(s.consumer(), minIdle, s.maxDeliveries(), s.batch()));
  }

  String stream() {
    return annotation.stream();
  }

  String group() {
    return annotation.group();
  }

  ConsumerOptions options() {
    return options;
  }

  Type messageType() {
    return method.getGenericParameterTypes()[0];
  }

  String describe() {
    return AnnotatedMethods.describe(method);
  }

  void invoke(Object message, String entryId) throws Exception {
    try {
      if (method.getParameterCount() == 2) {
        method.invoke(target, message, entryId);
      } else {
        method.invoke(target, message);
      }
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

}
