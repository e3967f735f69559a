package dev.weft.apps;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The libraries an application was built with, read from the file names of the jars it ships (a
 * fat jar's {@code BOOT-INF/lib}, a flat class path's folder): the versions it must run on, found
 * without asking the application.
 *
 * @param jars per library name of the applications' {@code /versions} report, the jar that
 *     carries it; a library the application does not ship is missing
 */
record AppLibraries(Map<String, Jar> jars) {

  /**
   * A jar of the application.
   *
   * @param fileName its file name, such as {@code lettuce-core-6.6.0.RELEASE.jar}
   * @param version the version in that name, such as {@code 6.6.0.RELEASE}
   */
  record Jar(String fileName, String version) {}

  /** The libraries the applications report, and the artifact that carries each. */
  private static final Map<String, String> ARTIFACTS = new LinkedHashMap<>();

  static {
    ARTIFACTS.put("spring-boot", "spring-boot");
    ARTIFACTS.put("lettuce", "lettuce-core");
    ARTIFACTS.put("netty-common", "netty-common");
    ARTIFACTS.put("netty-buffer", "netty-buffer");
    ARTIFACTS.put("netty-transport", "netty-transport");
    ARTIFACTS.put("netty-handler", "netty-handler");
    ARTIFACTS.put("reactor", "reactor-core");
    ARTIFACTS.put("jackson2-databind", "jackson-databind");
    ARTIFACTS.put("jackson3-databind", "jackson-databind");
    ARTIFACTS.put("slf4j", "slf4j-api");
    ARTIFACTS.put("logback", "logback-classic");
  }

  private static final Pattern JAR = Pattern.compile("([a-z0-9-]+?)-(\\d[^/]*)\\.jar");

  /**
   * @param fileNames the file names of the application's jars, not {@code null}
   * @return which of them carries each reported library
   */
  static AppLibraries of(Collection<String> fileNames) {
    Map<String, Jar> jars = new LinkedHashMap<>();
    for (String fileName : fileNames) {
      Matcher jar = JAR.matcher(fileName);
      if (!jar.matches()) {
        continue;
      }
      String artifact = jar.group(1);
      String version = jar.group(2);
      ARTIFACTS.forEach((library, carrier) -> {
        boolean jacksonMajorMatches = !library.startsWith("jackson")
            || version.startsWith(library.substring("jackson".length(), "jackson".length() + 1) + ".");
        if (carrier.equals(artifact) && jacksonMajorMatches) {
          jars.put(library, new Jar(fileName, version));
        }
      });
    }
    return new AppLibraries(jars);
  }

  /** @return the names of every library the applications report */
  static Collection<String> reported() {
    return ARTIFACTS.keySet();
  }
}
