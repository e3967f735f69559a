package dev.weft.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisSentinelGroup;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cache reads from replicas, opt-in: with {@code readCacheFromReplicas(true)} the plain reads of
 * cache entries are served by the replica and everything else by the master; without it, the
 * replica serves nothing.
 */
@Tag("redis")
class ReplicaReadTest {

  private static RedisSentinelGroup group;
  private int master;
  private int replica;

  @BeforeAll
  static void startGroup() {
    group = RedisSentinelGroup.start();
  }

  @AfterAll
  static void stopGroup() {
    if (group != null) {
      group.close();
    }
  }

  @BeforeEach
  void resetStats() {
    master = group.masterPort();
    replica = group.replicaPort();
    group.call(master, "FLUSHALL");
    group.call(master, "CONFIG", "RESETSTAT");
    group.call(replica, "CONFIG", "RESETSTAT");
  }

  @Test
  void readCacheFromReplicas_cacheHitsAreReadOnTheReplica_writesAndLocksStayOnTheMaster() {
    try (Weft weft = Weft.builder().redisUrl(group.url()).readCacheFromReplicas(true).build()) {
      AtomicInteger loads = new AtomicInteger();

      weft.cached("replica:a", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);
      Await.until(Duration.ofSeconds(5), () -> "the entry on the replica",
          () -> Long.valueOf(1).equals(group.call(replica, "EXISTS", "replica:a")));
      Integer hit =
          weft.cached("replica:a", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);
      weft.lock("replica:lock").tryAcquire().orElseThrow().close();

      assertThat(hit).isEqualTo(1);
      assertThat(loads).hasValue(1);
      // the miss and the hit; the check after taking the load lock reads the master
      assertThat(calls(replica, "get")).isEqualTo(2);
      assertThat(calls(master, "evalsha") + calls(master, "eval")).isPositive();
      assertThat(calls(replica, "evalsha") + calls(replica, "eval")).isZero();
    }
  }

  @Test
  void byDefault_cacheReadsGoToTheMaster() {
    try (Weft weft = Weft.builder().redisUrl(group.url()).build()) {
      AtomicInteger loads = new AtomicInteger();

      weft.cached("replica:b", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);
      weft.cached("replica:b", Duration.ofMinutes(1), Integer.class, loads::incrementAndGet);

      assertThat(loads).hasValue(1);
      assertThat(calls(master, "get")).isGreaterThanOrEqualTo(2);
      assertThat(calls(replica, "get")).isZero();
    }
  }

  /**
   * @return how often the server ran {@code command}, from {@code INFO commandstats}; commands a
   *     script calls count too
   */
  private static long calls(int port, String command) {
    String info = String.valueOf(group.call(port, "INFO", "commandstats"));
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":calls=")) {
        String rest = line.substring(("cmdstat_" + command + ":calls=").length());
        return Long.parseLong(rest.substring(0, rest.indexOf(',')));
      }
    }
    return 0;
  }
}
