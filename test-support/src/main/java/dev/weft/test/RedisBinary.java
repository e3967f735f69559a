package dev.weft.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/*
 * Where a local redis-server comes from, in order: the explicit override (weft.redis.server /
 * WEFT_REDIS_SERVER: a path, or the word "embedded" for the jar's binary even when another is on
 * the PATH, so one build can cover two server versions), an executable named redis-server on the
 * PATH, and last the binary that the com.github.codemonstur:embedded-redis jar carries for this OS
 * and architecture.
 *
 * The embedded binary is copied out of the jar once per JVM into its own temporary directory
 * and made executable; we then run it ourselves rather than through the library's RedisServer
 * class, because tests need to stop, SIGKILL and restart the very same process on the same
 * port. The jar's own table (ExecutableProvider.newProvidedVersionsMap) says which resource
 * fits which OS/architecture, so a newer jar with other file names keeps working.
 */
/**
 * A {@code redis-server} executable on this machine.
 *
 * @param path the executable, not {@code null}
 * @param source {@link #PATH} or {@link #EMBEDDED}
 * @param reason why this binary was chosen, for the log, not {@code null}
 */
record RedisBinary(Path path, String source, String reason) {

  /** Source of a binary named by the override or found on the PATH. */
  static final String PATH = "path";

  /** Source of the binary extracted from the embedded-redis jar. */
  static final String EMBEDDED = "embedded";

  private static final String EXECUTABLE_NAME = isWindows() ? "redis-server.exe" : "redis-server";

  /**
   * Finds the binary to run, extracting the embedded one if nothing else is configured.
   *
   * @param settings the launcher settings, not {@code null}
   * @return the binary, never {@code null}
   * @throws IllegalStateException if the override names no executable file, or no binary exists for
   *     this platform
   */
  static RedisBinary locate(LaunchSettings settings) {
    if (EMBEDDED.equals(settings.serverOverride())) {
      return new RedisBinary(
          embedded(),
          EMBEDDED,
          LaunchSettings.SERVER_PROPERTY + " / " + LaunchSettings.SERVER_ENV + " asks for it");
    }
    if (settings.serverOverride() != null) {
      Path path = Path.of(settings.serverOverride());
      if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
        throw new IllegalStateException(
            LaunchSettings.SERVER_PROPERTY
                + " / "
                + LaunchSettings.SERVER_ENV
                + " is "
                + path
                + ", which is not an executable file; point it at a redis-server binary or unset"
                + " it");
      }
      return new RedisBinary(
          path,
          PATH,
          "configured by " + LaunchSettings.SERVER_PROPERTY + " / " + LaunchSettings.SERVER_ENV);
    }
    Optional<Path> onPath = findOnSearchPath(settings.searchPath());
    if (onPath.isPresent()) {
      return new RedisBinary(onPath.get(), PATH, "found on the PATH");
    }
    return new RedisBinary(
        embedded(), EMBEDDED, "no redis-server on the PATH; using the embedded-redis jar's");
  }

  /**
   * Searches a {@code PATH}-style list of directories for an executable {@code redis-server}.
   *
   * @param searchPath directories separated by {@link File#pathSeparator}, or {@code null}
   * @return the first executable found, or empty
   */
  static Optional<Path> findOnSearchPath(String searchPath) {
    if (searchPath == null) {
      return Optional.empty();
    }
    for (String directory : searchPath.split(File.pathSeparator)) {
      if (directory.isBlank()) {
        continue;
      }
      try {
        Path candidate = Path.of(directory.trim(), EXECUTABLE_NAME);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      } catch (RuntimeException malformedEntry) {
        // a PATH entry that is not a valid path cannot hold redis-server
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the embedded binary, extracting it on first use in this JVM.
   *
   * @return the executable, never {@code null}
   * @throws IllegalStateException if the jar has no binary for this platform
   */
  static Path embedded() {
    return Embedded.binary();
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  /** The binary copied out of the jar, once per JVM and only when first needed. */
  private static final class Embedded {
    private static Path extracted;

    static synchronized Path binary() {
      if (extracted == null || !Files.isExecutable(extracted)) {
        extracted = extract();
      }
      return extracted;
    }

    private static Path extract() {
      String resource = resourceForThisPlatform();
      String fileName = resource.substring(resource.lastIndexOf('/') + 1);
      Path directory = TempDirs.create("weft-redis-bin-");
      Reaper.atExit(() -> TempDirs.deleteQuietly(directory));
      Path target = directory.resolve(fileName);
      try (InputStream in =
          ExecutableProvider.class.getClassLoader().getResourceAsStream(stripSlash(resource))) {
        if (in == null) {
          throw new IllegalStateException(
              "the embedded-redis jar lists " + resource + " but does not contain it");
        }
        Files.copy(in, target);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot extract " + resource + " to " + directory, e);
      }
      if (!target.toFile().setExecutable(true, true)) {
        throw new IllegalStateException("cannot make " + target + " executable");
      }
      return target;
    }

    private static String resourceForThisPlatform() {
      String platform = System.getProperty("os.name") + " / " + System.getProperty("os.arch");
      String resource;
      try {
        Map<OsArchitecture, String> table = ExecutableProvider.newProvidedVersionsMap();
        resource = table.get(OsArchitecture.detectOSandArchitecture());
      } catch (RuntimeException unknownPlatform) {
        resource = null;
      }
      if (resource == null) {
        throw new IllegalStateException(
            "the embedded-redis jar has no redis-server for "
                + platform
                + "; install redis-server on the PATH or set "
                + LaunchSettings.SERVER_ENV
                + " to a redis-server executable");
      }
      return resource;
    }

    private static String stripSlash(String resource) {
      return resource.startsWith("/") ? resource.substring(1) : resource;
    }
  }
}
