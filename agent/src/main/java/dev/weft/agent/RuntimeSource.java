package dev.weft.agent;

import java.net.URL;
import java.security.CodeSource;

/**
 * Tells, at start-up, which copy of weft-core the agent's woven classes call, when it is not the
 * agent jar's own.
 *
 * <h2>Design</h2>
 *
 * <p>An application that uses the agent and also Weft's programmatic API has weft-core twice: in
 * its own class path and in the agent jar. A JVM loads each class once per class loader, through
 * its parents first, so there is still one runtime ({@code Weft.global()}, one connection, one
 * breaker), but whose copy it is depends on where each jar sits. Under Spring Boot's launcher the
 * system class path, where {@code -javaagent} appends the agent jar, is the launcher's parent: the
 * agent's copy wins and the application's {@code BOOT-INF/lib/weft-core.jar} goes unused. On a
 * flat class path the application's jars come before the agent jar: its weft-core wins, and it
 * runs on the application's Lettuce and Jackson, while the agent's relocated copies serve only the
 * agent's own classes. Nothing clashes in either case, because the agent jar carries weft-core's
 * classes under their own names and no public type of weft-core has a relocated library's type in
 * its signatures, but one: {@code Weft.Builder.objectMapper(ObjectMapper)}, which in the agent's
 * copy takes the relocated Jackson, so an application that reaches the agent's copy gives its
 * mapper through {@code codec(ValueCodec)} instead (JDK types only). What can go wrong is
 * versions: weft-core of one version woven by an agent of another. So the agent names the copy in
 * use when it is not its own (INFO) and warns when the two jars' {@code Implementation-Version}s
 * differ (a class folder has none: nothing to compare).
 */
final class RuntimeSource {

  /** A class of weft-core that every woven method calls. */
  static final String WOVEN = "dev.weft.weaving.Woven";

  /** The version of a class folder, or of a jar without {@code Implementation-Version}. */
  private static final String UNKNOWN = "unknown";

  private RuntimeSource() {}

  /** Logs where weft-core comes from if not from the agent jar; never throws. */
  static void report() {
    try {
      Class<?> woven = Class.forName(WOVEN, false, ClassLoader.getSystemClassLoader());
      URL runtime = location(woven);
      URL agent = location(RuntimeSource.class);
      if (runtime == null
          || agent == null
          || runtime.toExternalForm().equals(agent.toExternalForm())) {
        return;
      }
      String runtimeVersion = version(woven);
      String agentVersion = version(RuntimeSource.class);
      WeftTransformer.Log.info(
          "Weft's agent weaves calls to the Weft runtime of " + runtime + " (version "
              + runtimeVersion + "), first on the class path, not to its own copy (version "
              + agentVersion + ")");
      if (!runtimeVersion.equals(UNKNOWN)
          && !agentVersion.equals(UNKNOWN)
          && !runtimeVersion.equals(agentVersion)) {
        WeftTransformer.Log.warning(
            "Weft's agent is version " + agentVersion + " but the application's weft-core ("
                + runtime + ") is version " + runtimeVersion
                + "; use the same version of both");
      }
    } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
      WeftTransformer.Log.warning("Weft's agent could not tell which Weft runtime it uses", e);
    }
  }

  private static URL location(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null ? null : source.getLocation();
  }

  private static String version(Class<?> type) {
    Package found = type.getPackage();
    String version = found == null ? null : found.getImplementationVersion();
    return version == null ? UNKNOWN : version;
  }
}
