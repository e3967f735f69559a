package dev.weft.aspectj.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.aspectj.WovenRedisTest;
import dev.weft.test.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exactness across processes: 4 JVMs x 8 threads hammer one key for more than 3 windows. Every
 * grant carries the server time Redis decided it at, so each can be put in its window exactly.
 */
class MultiProcessRateLimitTest extends WovenRedisTest {

  private static final long PERMITS = 20;
  private static final long WINDOW_MS = 1_000;

  @ParameterizedTest
  @EnumSource(RateLimitAlgorithm.class)
  void fourProcessesEightThreads_grantExactlyTheLimit(RateLimitAlgorithm algorithm, RedisServer server)
      throws Exception {
    String key = "exact:" + algorithm;
    List<ChildJvm> children = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      children.add(new ChildJvm(RateLimitChild.class, server.url(),
          algorithm.name(), Long.toString(PERMITS), Long.toString(WINDOW_MS), "8", key));
    }
    Decisions decisions = hammer(children, ready -> {});
    List<Long> granted = decisions.granted();
    List<Long> denied = decisions.denied();
    granted.sort(null);
    long first = granted.get(0);
    long last = granted.get(granted.size() - 1);
    switch (algorithm) {
      case FIXED_WINDOW -> assertExactWhileDemandExceeds(granted, denied, 3);
      case SLIDING_WINDOW_LOG -> {
        // Every window-long interval holds at most PERMITS grants, and a saturated one exactly.
        int maxInAnyWindow = maxInAnyWindow(granted);
        assertThat(maxInAnyWindow).isEqualTo((int) PERMITS);
      }
      case TOKEN_BUCKET, GCRA -> {
        // burst + rate x elapsed, within one permit.
        double expected = PERMITS + PERMITS * (last - first) / (double) WINDOW_MS;
        assertThat((double) granted.size()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1.0));
      }
      case SLIDING_WINDOW_COUNTER -> {
        // Documented bound: never more than 2 x permits - 1 in any window-long interval, and no
        // fixed window over permits.
        int maxInAnyWindow = maxInAnyWindow(granted);
        assertThat(maxInAnyWindow).isBetween((int) PERMITS, (int) (2 * PERMITS - 1));
        assertThat(perWindow(granted).values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo((int) PERMITS));
      }
    }
  }

  /** libfaketime shifts a process's clock; Debian's package puts it here. */
  private static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

  /**
   * Two processes whose clocks are five minutes behind and ahead of Redis's decide exactly like
   * any other: grants per fixed window equal the limit, because only Redis's clock is used.
   */
  @Test
  void clientClocksShiftedByMinutes_decideExactlyLikeTheOthers(RedisServer server) throws Exception {
    Assumptions.assumeTrue(Files.exists(FAKETIME),
        "libfaketime is needed to shift a JVM's clock (apt-get install libfaketime)");
    List<ChildJvm> children = new ArrayList<>();
    for (String shift : new String[] {"-300", "+300"}) {
      children.add(new ChildJvm(RateLimitChild.class, server.url(),
          Map.of("LD_PRELOAD", FAKETIME.toString(), "FAKETIME", shift, "DONT_FAKE_MONOTONIC", "1"),
          "FIXED_WINDOW", Long.toString(PERMITS), Long.toString(WINDOW_MS), "16", "skewed"));
    }
    Decisions decisions = hammer(children, ready -> assertThat(
            Math.abs(Long.parseLong(ready) - serverMillis()))
        .as("the child's clock is shifted by minutes").isGreaterThan(240_000L));
    // Two processes under libfaketime make less demand than four: one saturated window is enough
    // to test the claim, which is about Redis's clock, not about throughput.
    assertExactWhileDemandExceeds(decisions.granted(), decisions.denied(), 1);
  }

  /** The server times of every decision the children made. */
  private record Decisions(List<Long> granted, List<Long> denied) {}

  /**
   * Lets the started children ask for permits together for a bit over 3.5 windows, timed on the
   * server's clock, then collects their decisions; none may have failed. Closes the children.
   *
   * @param onReady checks what each child said when ready (its own clock)
   */
  private static Decisions hammer(List<ChildJvm> children, Consumer<String> onReady)
      throws InterruptedException {
    redis.del("rl-test:go", "rl-test:stop");
    List<Long> granted = new ArrayList<>();
    List<Long> denied = new ArrayList<>();
    try {
      for (ChildJvm child : children) {
        onReady.accept(child.await("READY", 60));
      }
      long start = serverMillis();
      redis.set("rl-test:go", "1");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (serverMillis() < start + 3 * WINDOW_MS + WINDOW_MS / 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      redis.set("rl-test:stop", "1");
      for (ChildJvm child : children) {
        assertThat(child.await("ERRORS", 60).split(" ")[0]).as("decisions that failed").isEqualTo("0");
        denied.addAll(times(child.await("DENIED", 60)));
        granted.addAll(times(child.await("GRANTED", 60)));
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    return new Decisions(granted, denied);
  }

  /**
   * In every fixed window where some request was denied (demand exceeded the limit), exactly
   * {@link #PERMITS} were granted; and there were at least {@code saturated} such windows.
   */
  private static void assertExactWhileDemandExceeds(
      List<Long> granted, List<Long> denied, int saturated) {
    Map<Long, Integer> grantedPerWindow = perWindow(granted);
    Map<Long, Integer> deniedPerWindow = perWindow(denied);
    assertThat(deniedPerWindow).as("windows where demand exceeded the limit").hasSizeGreaterThanOrEqualTo(saturated);
    for (long window : deniedPerWindow.keySet()) {
      assertThat(grantedPerWindow.getOrDefault(window, 0)).as("grants in window %d", window)
          .isEqualTo((int) PERMITS);
    }
  }

  /** @return how many of {@code times} (server ms) fall in each fixed window, by window number */
  private static Map<Long, Integer> perWindow(List<Long> times) {
    Map<Long, Integer> counts = new TreeMap<>();
    for (long ms : times) {
      counts.merge(ms / WINDOW_MS, 1, Integer::sum);
    }
    return counts;
  }

  /** @return the most of the sorted {@code times} that lie in any interval one window long */
  private static int maxInAnyWindow(List<Long> times) {
    int max = 0;
    for (int i = 0, j = 0; i < times.size(); i++) {
      while (times.get(i) - times.get(j) >= WINDOW_MS) {
        j++;
      }
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  private static List<Long> times(String line) {
    List<Long> times = new ArrayList<>();
    for (String ms : line.isEmpty() ? new String[0] : line.split(" ")) {
      times.add(Long.parseLong(ms));
    }
    return times;
  }

  private static long serverMillis() {
    List<String> time = redis.time();
    return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
  }
}
