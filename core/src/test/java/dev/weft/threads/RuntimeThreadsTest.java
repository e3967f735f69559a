package dev.weft.threads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ChildJvm;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One runtime with every pattern in use runs on one set of Lettuce threads, sized for a library:
 * counted in a process of its own ({@link RuntimeThreadsMain}), so that no other test's threads
 * are counted.
 */
@WeftRedis
class RuntimeThreadsTest {

  @Test
  void everyPatternInUse_sharesOneSmallSetOfLettuceThreads(RedisServer server) throws Exception {
    Path log = Paths.get("target", "runtime-threads", "threads.log");
    Process p = ChildJvm.start(RuntimeThreadsMain.class, log, server.url());
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the census finished").isTrue();
    } finally {
      p.destroyForcibly();
    }
    List<String> lines = Files.readAllLines(log);
    List<String> threads =
        lines.stream().filter(l -> l.startsWith("THREAD ")).map(l -> l.substring(7)).toList();
    System.out.println("runtime threads with every pattern in use: " + threads.size() + " "
        + threads);

    assertThat(lines).as("every pattern ran").contains("PATTERNS ALL");
    assertThat(threads.stream().filter(n -> n.matches("lettuce-(nio|epoll|kqueue)EventLoop-.*")))
        .as("I/O threads, in %s", threads)
        .hasSizeLessThanOrEqualTo(2);
    assertThat(threads.stream().filter(n -> n.startsWith("lettuce-eventExecutorLoop")))
        .as("computation threads, in %s", threads)
        .hasSizeLessThanOrEqualTo(2);
    assertThat(threads.stream().filter(n -> n.startsWith("lettuce-timer")))
        .as("timers, in %s", threads)
        .hasSizeLessThanOrEqualTo(1);
  }
}
