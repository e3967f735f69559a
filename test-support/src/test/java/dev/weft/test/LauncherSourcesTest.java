package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Which source the launcher picks, and what it does with each. */
@Tag("redis")
class LauncherSourcesTest {

  private static RedisClient client;

  @TempDir Path tempDir;

  @BeforeAll
  static void createClient() {
    client = RedisClient.create();
  }

  @AfterAll
  static void shutdownClient() {
    client.shutdown();
  }

  @Test
  void serverProperty_namingACopiedBinary_runsThatBinaryAsPath() throws IOException {
    assumeTrue(System.getenv(LaunchSettings.EXTERNAL_URL_ENV) == null, "WEFT_REDIS_URL is set");
    Path copy = copyOfEmbeddedBinary(tempDir);
    String previous = System.setProperty(LaunchSettings.SERVER_PROPERTY, copy.toString());
    try (RedisServer server = RedisLauncher.startStandalone()) {
      assertThat(server.source()).isEqualTo(RedisServer.SOURCE_PATH);
      assertThat(executableOf(server)).isEqualTo(copy.toRealPath());
    } finally {
      restoreProperty(previous);
    }
  }

  @Test
  void searchPath_holdingRedisServer_runsItAsPath() throws IOException {
    Path copy = copyOfEmbeddedBinary(tempDir);
    String searchPath = tempDir.resolve("missing") + File.pathSeparator + tempDir;
    LaunchSettings settings = new LaunchSettings(null, null, searchPath, () -> false);

    try (RedisServer server = RedisLauncher.startStandalone(settings)) {
      assertThat(server.source()).isEqualTo(RedisServer.SOURCE_PATH);
      assertThat(executableOf(server)).isEqualTo(copy.toRealPath());
    }
  }

  @Test
  void nothingConfigured_andNoDocker_runsTheEmbeddedBinary() throws IOException {
    LaunchSettings settings = new LaunchSettings(null, null, tempDir.toString(), () -> false);

    try (RedisServer server = RedisLauncher.startStandalone(settings)) {
      assertThat(server.source()).isEqualTo(RedisServer.SOURCE_EMBEDDED);
      assertThat(executableOf(server)).isEqualTo(RedisBinary.embedded().toRealPath());
    }
  }

  @Test
  void serverOverride_beatsDocker_andNeverAsksIt() throws IOException {
    Path copy = copyOfEmbeddedBinary(tempDir);
    LaunchSettings settings =
        new LaunchSettings(
            null,
            copy.toString(),
            null,
            () -> {
              throw new AssertionError("Docker must not be consulted when a binary is named");
            });

    try (RedisServer server = RedisLauncher.startStandalone(settings)) {
      assertThat(server.source()).isEqualTo(RedisServer.SOURCE_PATH);
    }
  }

  @Test
  void externalUrl_isUsedAsItIs_andNeverStopped() {
    try (RedisServer real = RedisLauncher.startStandalone(TestRedis.localProcessesOnly())) {
      LaunchSettings settings = new LaunchSettings(real.url(), null, null, () -> false);
      Set<Long> childrenBefore = TestRedis.childPids();

      RedisServer external = RedisLauncher.startStandalone(settings);

      assertThat(TestRedis.childPids()).containsExactlyInAnyOrderElementsOf(childrenBefore);
      assertThat(external.source()).isEqualTo(RedisServer.SOURCE_EXTERNAL);
      assertThat(external.url()).isEqualTo(real.url());
      assertThat(external.port()).isEqualTo(real.port());
      assertThat(external.isRunning()).isTrue();
      for (Runnable lifecycle :
          List.<Runnable>of(external::stop, external::kill, external::start)) {
        assertThatThrownBy(lifecycle::run)
            .isInstanceOf(UnsupportedOperationException.class)
            .hasMessageContaining("WEFT_REDIS_URL");
      }
      try (StatefulRedisConnection<String, String> connection = client.connect(real.uri())) {
        connection.sync().set("weft:external", "1");
        external.flushAll();
        assertThat(connection.sync().dbsize()).isZero();
      }

      external.close();

      assertThat(real.isRunning()).isTrue();
      real.stop();
      assertThat(external.isRunning()).isFalse();
    }
  }

  @Test
  void externalUrl_namingACluster_startsALocalServerInstead() {
    LaunchSettings settings =
        new LaunchSettings("redis-cluster://127.0.0.1:1,127.0.0.1:2", null, null, () -> false);

    try (RedisServer server = RedisLauncher.startStandalone(settings)) {
      assertThat(server.source()).isEqualTo(RedisServer.SOURCE_EMBEDDED);
    }
  }

  @Test
  void serverOverride_thatIsNoExecutable_failsNamingTheSetting() {
    LaunchSettings settings =
        new LaunchSettings(null, tempDir.resolve("nothing-here").toString(), null, () -> false);

    assertThatThrownBy(() -> RedisLauncher.startStandalone(settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("weft.redis.server")
        .hasMessageContaining("nothing-here");
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void binaryThatExits_failsWithItsOwnOutputInTheMessage() throws IOException {
    Path script = tempDir.resolve("redis-server");
    Files.writeString(script, "#!/bin/sh\necho 'simulated failure: no memory for you'\nexit 3\n");
    assertThat(script.toFile().setExecutable(true)).isTrue();
    LaunchSettings settings = new LaunchSettings(null, script.toString(), null, () -> false);

    assertThatThrownBy(() -> RedisLauncher.startStandalone(settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("simulated failure: no memory for you");
  }

  @Test
  void takenPort_isSkipped_andTheServerStartsOnAnother() throws IOException {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getByName(Ports.LOOPBACK), 0));
      int taken = squatter.getLocalPort();
      Deque<Integer> candidates = new ArrayDeque<>(List.of(taken, Ports.claimFree()));
      RedisBinary binary = new RedisBinary(RedisBinary.embedded(), "embedded", "test");

      try (RedisServer server = LocalRedisServer.launch(binary, candidates::removeFirst)) {
        assertThat(server.port()).isNotEqualTo(taken);
        assertThat(server.isRunning()).isTrue();
      }
    }
  }

  private static Path copyOfEmbeddedBinary(Path directory) throws IOException {
    Path copy = directory.resolve("redis-server");
    Files.copy(RedisBinary.embedded(), copy);
    assertThat(copy.toFile().setExecutable(true)).isTrue();
    return copy;
  }

  private static Path executableOf(RedisServer server) throws IOException {
    try (StatefulRedisConnection<String, String> connection = client.connect(server.uri())) {
      String info = connection.sync().info("server");
      return Path.of(RedisProcess.infoField(info, "executable")).toRealPath();
    }
  }

  private static void restoreProperty(String previous) {
    if (previous == null) {
      System.clearProperty(LaunchSettings.SERVER_PROPERTY);
    } else {
      System.setProperty(LaunchSettings.SERVER_PROPERTY, previous);
    }
  }
}
