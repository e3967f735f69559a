package dev.weft.aspectj.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The guarantees hold from a process's first call: three freshly started JVMs whose threads make
 * their very first Weft calls all at once, while each runtime is still loading Lettuce and Netty
 * and opening its first connection. The command timeout is short (200 ms), shorter than that
 * first connect takes in a cold JVM on a busy machine: the calls must wait for the connect rather
 * than take their failure policy (a cache that calls through, a limit that allows).
 */
@WeftRedis
class MultiProcessColdStartTest {

  private static final int PROCESSES = 3;
  private static final Map<String, String> SHORT_COMMAND_TIMEOUT =
      Map.of("WEFT_REDIS_TIMEOUT", "200ms");

  @Test
  void stampede_firstCallsOfThreeFreshProcesses_bodyRunsOnce(RedisServer server) throws Exception {
    List<String> lines = firstCalls(server, "cache", 16, 1);

    assertThat(count(lines, "GOT value-of-")).as("%s", lines).isEqualTo(PROCESSES * 16);
    assertThat(count(lines, "LOADED")).as("loads, in %s", lines).isEqualTo(1);
  }

  @Test
  void rateLimit_firstCallsOfThreeFreshProcesses_allowExactlyThePermits(RedisServer server)
      throws Exception {
    List<String> lines = firstCalls(server, "limit", 5, 2);

    assertThat(count(lines, "ALLOWED")).as("allowed, in %s", lines).isEqualTo(5);
    assertThat(count(lines, "DENIED")).as("%s", lines).isEqualTo(PROCESSES * 5 * 2 - 5);
  }

  @Test
  void lock_firstCallsOfThreeFreshProcesses_isTakenOnce(RedisServer server) throws Exception {
    List<String> lines = firstCalls(server, "lock", 8, 1);

    assertThat(count(lines, "ACQUIRED")).as("acquired, in %s", lines).isEqualTo(1);
    assertThat(count(lines, "SKIPPED")).as("%s", lines).isEqualTo(PROCESSES * 8 - 1);
  }

  /**
   * Starts the processes together, lets their threads call once all are ready, and collects what
   * they printed.
   */
  private static List<String> firstCalls(RedisServer server, String mode, int threads, int calls)
      throws Exception {
    String id = mode + "-" + UUID.randomUUID();
    List<ChildJvm> children = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    try {
      for (int i = 0; i < PROCESSES; i++) {
        children.add(new ChildJvm(ColdStartChild.class, server.url(), SHORT_COMMAND_TIMEOUT,
            mode, Integer.toString(threads), Integer.toString(calls), id));
      }
      for (ChildJvm child : children) {
        child.await("READY", 60);
      }
      for (ChildJvm child : children) {
        child.send("GO");
      }
      for (ChildJvm child : children) {
        lines.addAll(child.linesUntil("DONE", 60));
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    return lines;
  }

  private static long count(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).count();
  }
}
