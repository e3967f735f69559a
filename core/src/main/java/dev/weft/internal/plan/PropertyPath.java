package dev.weft.internal.plan;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A chain of property reads below a parameter, such as {@code order.customer.id}, resolved once
 * against the declared types when the plan is built.
 *
 * <p>Each step looks, in order, for a public getter {@code getX()}, a public {@code boolean isX()},
 * a record component {@code x}, then a public field {@code x}; members of {@link Object} do not
 * count. Types are the declared ones with type arguments applied ({@code Box<Account>.getValue()}
 * is an {@code Account}). These are exactly the rules weft-processor checks at compile time, so a
 * key the compiler accepts is a key the runtime accepts. A {@code null} met along the way renders
 * as {@code null}.
 */
final class PropertyPath {

  /** The empty path: the parameter itself. */
  static final PropertyPath NONE = new PropertyPath(new Member[0]);

  private final Member[] steps;

  private PropertyPath(Member[] steps) {
    this.steps = steps;
  }

  /**
   * @param root the declared (generic) type of the parameter, not {@code null}
   * @param names the property names, not {@code null}, possibly empty
   * @param types resolves generic member types, not {@code null}
   * @return the resolved path
   * @throws IllegalArgumentException naming the step that does not exist and what does
   */
  static PropertyPath resolve(JavaType root, List<String> names, TypeFactory types) {
    List<Member> steps = new ArrayList<>(names.size());
    JavaType type = root;
    for (String name : names) {
      Class<?> raw = type.getRawClass();
      if (raw.isPrimitive() || raw.isArray()) {
        throw new IllegalArgumentException(
            "'" + raw.getTypeName() + "' has no properties; end the placeholder before '" + name + "'");
      }
      Member step = find(raw, name);
      if (step == null) {
        throw new IllegalArgumentException(
            "'" + raw.getName() + "' has no property '" + name + "'; readable properties: "
                + String.join(", ", readableProperties(raw)));
      }
      if (step instanceof Method m) {
        m.trySetAccessible();
        type = types.resolveMemberType(m.getGenericReturnType(), type.getBindings());
      } else {
        Field f = (Field) step;
        f.trySetAccessible();
        type = types.resolveMemberType(f.getGenericType(), type.getBindings());
      }
      steps.add(step);
    }
    return new PropertyPath(steps.toArray(new Member[0]));
  }

  /**
   * @param root the parameter's value, may be {@code null}
   * @return the value at the end of the path, may be {@code null}
   */
  Object read(Object root) {
    Object value = root;
    for (Member step : steps) {
      if (value == null) {
        return null;
      }
      try {
        value = step instanceof Method m ? m.invoke(value) : ((Field) step).get(value);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("reading " + step.getName() + " failed", cause);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(
            "cannot read " + step.getDeclaringClass().getName() + "." + step.getName()
                + "; make it public or open its package to Weft",
            e);
      }
    }
    return value;
  }

  private static Member find(Class<?> type, String name) {
    String capitalized = name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    Method getter = publicNoArg(type, "get" + capitalized);
    if (getter != null && getter.getReturnType() != void.class) {
      return getter;
    }
    Method is = publicNoArg(type, "is" + capitalized);
    if (is != null && is.getReturnType() == boolean.class) {
      return is;
    }
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        if (component.getName().equals(name)) {
          return component.getAccessor();
        }
      }
    }
    try {
      Field field = type.getField(name);
      return Modifier.isStatic(field.getModifiers()) ? null : field;
    } catch (NoSuchFieldException e) {
      return null;
    }
  }

  private static Method publicNoArg(Class<?> type, String name) {
    try {
      Method m = type.getMethod(name);
      return Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class ? null : m;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static TreeSet<String> readableProperties(Class<?> type) {
    TreeSet<String> names = new TreeSet<>();
    for (Method m : type.getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || m.getReturnType() == void.class
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      String n = m.getName();
      if (n.startsWith("get") && n.length() > 3) {
        names.add(Character.toLowerCase(n.charAt(3)) + n.substring(4));
      } else if (n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class) {
        names.add(Character.toLowerCase(n.charAt(2)) + n.substring(3));
      }
    }
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        names.add(component.getName());
      }
    }
    for (Field f : type.getFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        names.add(f.getName());
      }
    }
    if (names.isEmpty()) {
      names.add("(none)");
    }
    return names;
  }
}
