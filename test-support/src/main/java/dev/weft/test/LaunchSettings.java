package dev.weft.test;

import java.util.function.BooleanSupplier;

/**
 * What the launcher reads from its surroundings, gathered in one value so that tests can hand it
 * any combination without touching the real environment.
 *
 * @param externalUrl {@code WEFT_REDIS_URL}, or {@code null} if unset or blank
 * @param serverOverride {@code weft.redis.server} (system property) or else {@code
 *     WEFT_REDIS_SERVER} (environment), or {@code null} if neither is set
 * @param searchPath the {@code PATH} to search for {@code redis-server}, or {@code null}
 * @param dockerAvailable answers whether a Docker engine answers, not {@code null}
 */
record LaunchSettings(
    String externalUrl, String serverOverride, String searchPath, BooleanSupplier dockerAvailable) {

  /** The environment variable naming an external server. */
  static final String EXTERNAL_URL_ENV = "WEFT_REDIS_URL";

  /**
   * The system property naming a {@code redis-server} executable, or {@code embedded} for the one
   * the embedded-redis jar carries.
   */
  static final String SERVER_PROPERTY = "weft.redis.server";

  /** The environment variable naming a {@code redis-server} executable. */
  static final String SERVER_ENV = "WEFT_REDIS_SERVER";

  /**
   * @return the settings of this JVM, read now, never {@code null}
   */
  static LaunchSettings fromEnvironment() {
    return new LaunchSettings(
        blankToNull(System.getenv(EXTERNAL_URL_ENV)),
        firstNonBlank(System.getProperty(SERVER_PROPERTY), System.getenv(SERVER_ENV)),
        System.getenv("PATH"),
        DockerProbe::dockerAvailable);
  }

  private static String firstNonBlank(String first, String second) {
    String value = blankToNull(first);
    return value != null ? value : blankToNull(second);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
