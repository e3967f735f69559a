package dev.weft.sample;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Says how Weft's annotations were woven into this process, if at all. Without weaving the
 * annotations do nothing, and a sample that runs unwoven would show a cache that never hits.
 */
final class Weaving {

  private Weaving() {}

  /**
   * @param woven a class with Weft-annotated methods
   * @return how it was woven, as people read it, or empty if it was not
   */
  static Optional<String> of(Class<?> woven) {
    boolean agent = loadable("dev.weft.agent.WeftAgent");
    if (hasAspectJMembers(woven)) {
      // The agent leaves classes that ajc has woven as they are, so they are woven once.
      return Optional.of(
          loadable("org.aspectj.weaver.loadtime.Agent")
              ? "AspectJ load-time weaving (-javaagent:aspectjweaver.jar)"
              : agent
                  ? "AspectJ compile-time weaving (ajc; the Weft agent left these classes alone)"
                  : "AspectJ compile-time weaving (ajc)");
    }
    if (agent) {
      return Optional.of("the Weft agent (-javaagent:weft-agent.jar)");
    }
    return Optional.empty();
  }

  private static boolean hasAspectJMembers(Class<?> type) {
    for (Method m : type.getDeclaredMethods()) {
      if (m.getName().contains("aroundBody") || m.getName().startsWith("ajc$")) {
        return true;
      }
    }
    for (Field f : type.getDeclaredFields()) {
      if (f.getName().startsWith("ajc$")) {
        return true;
      }
    }
    return false;
  }

  private static boolean loadable(String className) {
    try {
      Class.forName(className, false, ClassLoader.getSystemClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
