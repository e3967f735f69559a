package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.Cached;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import example.plain.BothWaysApp;
import java.io.File;
import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An application that uses the agent and weft-core's programmatic API, with weft-core and its
 * libraries (Lettuce, Jackson, SLF4J...) on its flat class path, before the agent jar: the JVM
 * takes weft-core's classes from the application's jar, the woven code calls that same copy, and
 * the agent says so once at start-up.
 */
@Tag("redis")
@WeftRedis
class OneRuntimeIT {

  @Test
  void agentAndProgrammaticApi_onAFlatClassPath_shareTheApplicationsWeftCore(RedisServer server)
      throws Exception {
    String runtime = System.getProperty("weft.runtime.classpath");
    assertThat(runtime).as("weft.runtime.classpath, set by the build").isNotBlank();
    List<String> classPath = new ArrayList<>();
    classPath.add(AgentJvm.location(BothWaysApp.class));
    classPath.add(AgentJvm.location(Cached.class));
    classPath.addAll(Arrays.asList(runtime.split(File.pathSeparator)));
    String weftCore = classPath.stream()
        .filter(entry -> Paths.get(entry).getFileName().toString().startsWith("weft-core")
            || entry.replace('\\', '/').endsWith("core/target/classes"))
        .findFirst()
        .orElseThrow();
    String key = UUID.randomUUID().toString();

    AgentJvm.Run run = AgentJvm.run(server.url(), classPath, BothWaysApp.class.getName(), key);

    assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
    assertThat(run.facts())
        .as(run.output())
        .containsEntry("done", "true")
        .containsEntry("cached", "cached " + key + ",cached " + key)
        .containsEntry("cached.calls", "1")
        .as("the fencing token of the woven lock, read through the application's LockContext")
        .containsEntry("token.positive", "true")
        .containsEntry("held.outside", "false")
        .containsEntry("programmatic.cached", "cached " + key)
        .containsEntry("limiter", "true,false");
    assertThat(Paths.get(new URI(run.facts().get("weft.location"))))
        .isEqualTo(Paths.get(weftCore).toAbsolutePath());
    assertThat(run.facts().get("woven.location")).isEqualTo(run.facts().get("weft.location"));
    assertThat(run.output())
        .contains("Weft's agent weaves calls to the Weft runtime of "
            + run.facts().get("weft.location"));
  }
}
