package dev.weft.weaving;

import java.lang.reflect.Method;

/** JVM method descriptors ({@code (JLjava/lang/String;)V}) computed from reflection. */
final class Descriptors {

  private Descriptors() {}

  static String of(Method method) {
    StringBuilder d = new StringBuilder("(");
    for (Class<?> p : method.getParameterTypes()) {
      append(d, p);
    }
    d.append(')');
    append(d, method.getReturnType());
    return d.toString();
  }

  private static void append(StringBuilder d, Class<?> type) {
    if (type.isArray()) {
      d.append(type.getName().replace('.', '/'));
    } else if (type.isPrimitive()) {
      d.append(primitive(type));
    } else {
      d.append('L').append(type.getName().replace('.', '/')).append(';');
    }
  }

  private static char primitive(Class<?> type) {
    if (type == int.class) {
      return 'I';
    } else if (type == long.class) {
      return 'J';
    } else if (type == boolean.class) {
      return 'Z';
    } else if (type == byte.class) {
      return 'B';
    } else if (type == char.class) {
      return 'C';
    } else if (type == short.class) {
      return 'S';
    } else if (type == double.class) {
      return 'D';
    } else if (type == float.class) {
      return 'F';
    }
    return 'V';
  }
}
