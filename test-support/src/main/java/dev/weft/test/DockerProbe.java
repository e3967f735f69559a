package dev.weft.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/*
 * Why a probe in front of Testcontainers: asking Testcontainers on a machine without Docker is
 * slow (it tries every client strategy in turn) and loud (it logs an ERROR with a stack of
 * reasons), and a missing Docker is the normal case for this module, not an error. So we first
 * look for cheap evidence that a Docker engine could be there: DOCKER_HOST, a Testcontainers
 * properties file naming a host, or a Docker socket file. Only then is Testcontainers asked,
 * on a daemon thread and with a bound, so a hanging engine cannot hang the tests. The answer is
 * computed once per JVM.
 */
/** Answers, once per JVM and quickly, whether Testcontainers can reach a Docker engine. */
final class DockerProbe {

  private static final long ASK_TIMEOUT_SECONDS = 30;

  private static volatile Boolean available;
  private static volatile String reason = "not probed yet";

  private DockerProbe() {}

  /**
   * @return whether a Docker engine answers; computed on the first call, then cached
   */
  static boolean dockerAvailable() {
    Boolean answer = available;
    if (answer == null) {
      synchronized (DockerProbe.class) {
        if (available == null) {
          available = probe();
        }
        answer = available;
      }
    }
    return answer;
  }

  /**
   * @return why the last probe answered as it did, for the launcher's log, never {@code null}
   */
  static String reason() {
    return reason;
  }

  private static boolean probe() {
    Optional<String> evidence =
        evidence(System.getenv(), Path.of(System.getProperty("user.home", ".")));
    if (evidence.isEmpty()) {
      reason = "no DOCKER_HOST, no Docker socket, no Testcontainers host configured";
      return false;
    }
    CompletableFuture<Boolean> asked = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                asked.complete(ContainerRedisServer.dockerAnswers());
              } catch (Throwable t) {
                asked.completeExceptionally(t);
              }
            },
            "weft-docker-probe");
    thread.setDaemon(true);
    thread.start();
    try {
      boolean answers = asked.get(ASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      reason =
          answers
              ? "a Docker engine answers (" + evidence.get() + ")"
              : evidence.get() + " but Testcontainers found no working Docker engine";
      return answers;
    } catch (TimeoutException e) {
      reason = evidence.get() + " but Docker did not answer within " + ASK_TIMEOUT_SECONDS + " s";
    } catch (ExecutionException | RuntimeException | LinkageError e) {
      reason = evidence.get() + " but asking Testcontainers failed: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "interrupted while probing Docker";
    }
    return false;
  }

  /**
   * Looks for cheap signs that a Docker engine may be reachable.
   *
   * @param env the environment, not {@code null}
   * @param home the user's home directory, not {@code null}
   * @return a description of the first sign found, or empty if there is none
   */
  static Optional<String> evidence(Map<String, String> env, Path home) {
    String dockerHost = env.get("DOCKER_HOST");
    if (dockerHost != null && !dockerHost.isBlank()) {
      return Optional.of("DOCKER_HOST is set");
    }
    Path properties = home.resolve(".testcontainers.properties");
    if (Files.isRegularFile(properties) && namesAHost(properties)) {
      return Optional.of(properties + " names a Docker host");
    }
    String runtimeDir = env.get("XDG_RUNTIME_DIR");
    List<Path> sockets =
        List.of(
            Path.of("/var/run/docker.sock"),
            home.resolve(".docker/run/docker.sock"),
            home.resolve(".docker/desktop/docker.sock"),
            home.resolve(".colima/default/docker.sock"),
            home.resolve(".rd/docker.sock"),
            runtimeDir == null ? home.resolve(".none") : Path.of(runtimeDir, "docker.sock"),
            Path.of("\\\\.\\pipe\\docker_engine"));
    for (Path socket : sockets) {
      try {
        if (Files.exists(socket)) {
          return Optional.of("found " + socket);
        }
      } catch (RuntimeException unsupportedPath) {
        // the named-pipe path is meaningless off Windows
      }
    }
    return Optional.empty();
  }

  private static boolean namesAHost(Path file) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      return false;
    }
    return properties.containsKey("docker.host")
        || properties.containsKey("tc.host")
        || properties.containsKey("docker.client.strategy");
  }
}
