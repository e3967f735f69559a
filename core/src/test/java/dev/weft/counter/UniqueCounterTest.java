package dev.weft.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link UniqueCounter}: distinct counts per bucket, merged over a range. */
@WeftRedis
class UniqueCounterTest {

  private Weft weft;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
  }

  @AfterEach
  void close() {
    weft.close();
  }

  @Test
  void duplicates_countOnce_overARangeOfBuckets() throws Exception {
    UniqueCounter visitors = weft.uniqueCounter("visitors",
        CounterOptions.defaults().granularity(Granularity.SECOND).retention(Duration.ofMinutes(1)));
    Instant from = Instant.now().minusSeconds(5);
    assertThat(visitors.add("home", "alice", "bob", "alice")).isTrue();
    assertThat(visitors.add("home", "bob")).as("nothing new").isFalse();
    awaitNextSecondOnRedisClock();
    visitors.add("home", "bob", "carol");
    Instant to = Instant.now().plusSeconds(5);

    assertThat(visitors.count("home", from, to))
        .as("alice, bob and carol over both buckets, bob once").isEqualTo(3);
    assertThat(visitors.count("other", from, to)).isZero();
    assertThat(visitors.count("home", from, from)).isZero();
  }

  /**
   * Returns once Redis's clock, which picks the buckets, is in a later second than when called:
   * a one-second counter's increments report the bucket they landed in.
   */
  private void awaitNextSecondOnRedisClock() {
    Counter clock = weft.counter("clock",
        CounterOptions.defaults().granularity(Granularity.SECOND));
    Instant start = clock.increment("tick").start();
    Await.until(Duration.ofSeconds(5), () -> "Redis's clock reaches the next second",
        () -> !clock.increment("tick").start().equals(start));
  }

  @Test
  void manyMembers_estimatedWithinTwoPercent_inBatches() {
    UniqueCounter devices = weft.uniqueCounter("devices",
        CounterOptions.defaults().granularity(Granularity.DAY));
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      members.add("device-" + i);
    }
    devices.add("app", members);
    devices.add("app", members.subList(0, 5_000));

    long count = devices.count("app", Instant.now().minus(Duration.ofDays(1)),
        Instant.now().plus(Duration.ofDays(1)));
    assertThat(count).isBetween(19_600L, 20_400L);
  }

  @Test
  void delete_removesTheSeries() {
    UniqueCounter visitors = weft.uniqueCounter("erasable-visitors",
        CounterOptions.defaults().granularity(Granularity.HOUR));
    visitors.add("home", "alice", "bob");
    visitors.add("away", "carol");
    Instant from = Instant.now().minus(Duration.ofHours(2));
    Instant to = Instant.now().plus(Duration.ofHours(2));

    assertThat(visitors.delete("home")).isEqualTo(1);

    assertThat(visitors.count("home", from, to)).isZero();
    assertThat(visitors.count("away", from, to)).isEqualTo(1);
  }
}
