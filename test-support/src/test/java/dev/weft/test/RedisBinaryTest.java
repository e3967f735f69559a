package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Finding binaries and Docker evidence; starts no server. */
class RedisBinaryTest {

  @TempDir Path tempDir;

  @Test
  void findOnSearchPath_withoutRedisServer_findsNothing() {
    assertThat(RedisBinary.findOnSearchPath(tempDir.toString())).isEmpty();
    assertThat(RedisBinary.findOnSearchPath(null)).isEmpty();
    assertThat(RedisBinary.findOnSearchPath("")).isEmpty();
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void findOnSearchPath_skipsNonExecutableFiles_andTakesTheFirstExecutable() throws IOException {
    Path notExecutable = Files.createDirectory(tempDir.resolve("a")).resolve("redis-server");
    Files.writeString(notExecutable, "");
    Path executable = Files.createDirectory(tempDir.resolve("b")).resolve("redis-server");
    Files.writeString(executable, "");
    assertThat(executable.toFile().setExecutable(true)).isTrue();
    String searchPath = notExecutable.getParent() + File.pathSeparator + executable.getParent();

    assertThat(RedisBinary.findOnSearchPath(searchPath)).contains(executable);
  }

  @Test
  void embedded_isExtractedOncePerJvm_asAnExecutable() {
    Path first = RedisBinary.embedded();

    assertThat(RedisBinary.embedded()).isEqualTo(first);
    assertThat(Files.isExecutable(first)).isTrue();
  }

  @Test
  void overrideEmbedded_takesTheJarsBinary_evenWithRedisServerOnThePath() throws IOException {
    Path onPath = tempDir.resolve("redis-server");
    Files.writeString(onPath, "#!/bin/sh\n");
    onPath.toFile().setExecutable(true);

    RedisBinary binary =
        RedisBinary.locate(new LaunchSettings(null, "embedded", tempDir.toString(), () -> false));

    assertThat(binary.source()).isEqualTo(RedisBinary.EMBEDDED);
    assertThat(binary.path()).isEqualTo(RedisBinary.embedded());
  }

  @Test
  void dockerEvidence_withNothingConfigured_isEmpty() {
    assumeFalse(Files.exists(Path.of("/var/run/docker.sock")), "this machine has a Docker socket");
    assertThat(DockerProbe.evidence(Map.of(), tempDir)).isEmpty();
  }

  @Test
  void dockerEvidence_fromDockerHostOrPropertiesFile_isFound() throws IOException {
    assertThat(DockerProbe.evidence(Map.of("DOCKER_HOST", "tcp://10.0.0.1:2375"), tempDir))
        .hasValueSatisfying(reason -> assertThat(reason).contains("DOCKER_HOST"));

    Files.writeString(tempDir.resolve(".testcontainers.properties"), "tc.host=tcp://x:1\n");
    assertThat(DockerProbe.evidence(Map.of(), tempDir)).isPresent();
  }
}
