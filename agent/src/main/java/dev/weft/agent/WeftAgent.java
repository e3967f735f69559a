package dev.weft.agent;

import dev.weft.annotation.WovenAnnotations;
import java.lang.annotation.Annotation;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code -javaagent} entry point. It installs {@link WeftTransformer} and starts building its
 * ByteBuddy weaver in the background ({@link WeaverStartup}), and does nothing else; the woven
 * code calls weft-core, where all behaviour lives.
 *
 * <pre>{@code
 * java -javaagent:weft-agent.jar -jar app.jar
 * }</pre>
 */
public final class WeftAgent {

  private WeftAgent() {}

  /**
   * Called by the JVM before {@code main} when started with {@code -javaagent}.
   *
   * @param arguments the text after {@code =} in the option, ignored; may be {@code null}
   * @param instrumentation the JVM's instrumentation, not {@code null}
   */
  public static void premain(String arguments, Instrumentation instrumentation) {
    instrumentation.addTransformer(new WeftTransformer(WeaverStartup.inBackground()), false);
    RuntimeSource.report();
  }

  /**
   * Called when the agent is attached to a running JVM. Classes loaded from then on are woven as
   * they load; those already loaded that declare Weft-annotated methods are retransformed (the
   * weaving changes method bodies only, which the JVM allows for a loaded class).
   *
   * @param arguments ignored; may be {@code null}
   * @param instrumentation the JVM's instrumentation, not {@code null}
   */
  public static void agentmain(String arguments, Instrumentation instrumentation) {
    instrumentation.addTransformer(new WeftTransformer(WeaverStartup.inBackground()), true);
    RuntimeSource.report();
    for (Class<?> type : loadedWithWeftAnnotations(instrumentation)) {
      try {
        instrumentation.retransformClasses(type);
      } catch (Throwable e) {
        WeftTransformer.Log.warning(
            "Weft could not weave " + type.getName() + ", loaded before the agent was attached;"
                + " it runs without Weft's annotations",
            e);
      }
    }
  }

  private static List<Class<?>> loadedWithWeftAnnotations(Instrumentation instrumentation) {
    List<Class<?>> found = new ArrayList<>();
    Set<String> woven = Set.of(WovenAnnotations.BINARY_NAMES.split(","));
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      ClassLoader loader = type.getClassLoader();
      if (loader == null
          || loader == ClassLoader.getPlatformClassLoader()
          || type.isArray()
          || WeftTransformer.skipsPackage(type.getName().replace('.', '/'))
          || !instrumentation.isModifiableClass(type)) {
        continue;
      }
      try {
        if (declaresWovenMethod(type, woven)) {
          found.add(type);
        }
      } catch (Throwable e) {
        // A class whose methods cannot be listed (a missing dependency) has nothing to weave here.
      }
    }
    return found;
  }

  private static boolean declaresWovenMethod(Class<?> type, Set<String> woven) {
    for (Method method : type.getDeclaredMethods()) {
      for (Annotation annotation : method.getDeclaredAnnotations()) {
        if (woven.contains(annotation.annotationType().getName())) {
          return true;
        }
      }
    }
    return false;
  }
}
