package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A JVM that starts a server and a cluster and exits without closing them leaves nothing listening:
 * the launcher's shutdown hook kills what it started. Runs a second JVM, since the hook only runs
 * when a JVM exits.
 */
@Tag("redis")
class ShutdownHookTest {

  @Test
  void jvmExitingWithoutClose_leavesNoServerListening() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ForgetfulMain.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String portsLine;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      portsLine = out.readLine();
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child JVM exits").isTrue();

    assertThat(portsLine).as("the child JVM reports its ports").isNotNull();
    List<Integer> ports =
        Arrays.stream(portsLine.trim().split(" "))
            .map(Integer::valueOf)
            .collect(Collectors.toList());
    assertThat(ports).hasSize(4);
    assertThat(ports)
        .allSatisfy(port -> assertThat(TestRedis.refusesConnections("127.0.0.1", port)).isTrue());
  }

  /** Starts a server and a cluster, prints their ports, and exits without closing anything. */
  static final class ForgetfulMain {
    public static void main(String[] args) throws IOException {
      RedisServer server = RedisLauncher.startStandalone(TestRedis.localProcessesOnly());
      RedisCluster cluster = RedisLauncher.startCluster(TestRedis.localProcessesOnly());
      StringBuilder ports = new StringBuilder().append(server.port());
      cluster.nodes().forEach(node -> ports.append(' ').append(node.getPort()));
      System.out.println(ports);
      System.out.flush();
      System.exit(0);
    }
  }
}
