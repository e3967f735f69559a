package dev.weft.internal.plan;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * The names of a method's parameters, which {@code {name}} placeholders refer to.
 *
 * <p>Java keeps parameter names in class files only when compiled with {@code -parameters}. When
 * they are absent, Weft reads the names that weft-processor recorded at compile time in
 * {@code META-INF/weft/parameter-names/<binary class name>.properties}, one line per annotated
 * method: {@code find(long,java.lang.String)=id,region}.
 */
final class ParameterNames {

  /** Where weft-processor writes the names; shared with the processor by convention. */
  static final String RESOURCE_DIR = "META-INF/weft/parameter-names/";

  private ParameterNames() {}

  /**
   * @param method the method, not {@code null}
   * @return the names in declaration order, or {@code null} when neither the class file nor the
   *     processor's metadata has them
   */
  static String[] of(Method method) {
    Parameter[] parameters = method.getParameters();
    String[] names = new String[parameters.length];
    boolean present = true;
    for (int i = 0; i < parameters.length; i++) {
      present &= parameters[i].isNamePresent();
      names[i] = parameters[i].getName();
    }
    if (present) {
      return names;
    }
    return fromProcessorMetadata(method);
  }

  /**
   * @param method the method, not {@code null}
   * @return the key under which the processor records {@code method}: its name and erased
   *     parameter types as {@link Class#getTypeName()} prints them
   */
  static String metadataKey(Method method) {
    StringJoiner types = new StringJoiner(",", method.getName() + "(", ")");
    for (Class<?> type : method.getParameterTypes()) {
      types.add(type.getTypeName());
    }
    return types.toString();
  }

  private static String[] fromProcessorMetadata(Method method) {
    Class<?> owner = method.getDeclaringClass();
    ClassLoader loader = owner.getClassLoader();
    String resource = RESOURCE_DIR + owner.getName() + ".properties";
    try (InputStream in =
        loader != null
            ? loader.getResourceAsStream(resource)
            : ClassLoader.getSystemResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Properties properties = new Properties();
      properties.load(in);
      String joined = properties.getProperty(metadataKey(method));
      if (joined == null) {
        return null;
      }
      String[] names = joined.isEmpty() ? new String[0] : joined.split(",", -1);
      return names.length == method.getParameterCount() ? names : null;
    } catch (IOException e) {
      return null;
    }
  }
}
