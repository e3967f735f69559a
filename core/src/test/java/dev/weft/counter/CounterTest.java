package dev.weft.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Counter} against a real Redis: buckets on Redis's clock, zero-filled series, expiry,
 * and the split of increments at a bucket boundary.
 */
@WeftRedis
class CounterTest {

  private Weft weft;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterEach
  void close() {
    connection.close();
    client.shutdown();
    weft.close();
  }

  @Test
  void increment_landsInRedisClocksBucket_seriesIsZeroFilledInOrder() {
    Counter views = weft.counter("page-views",
        CounterOptions.defaults().granularity(Granularity.MINUTE).retention(Duration.ofDays(1)));
    Instant before = redisNow();
    CounterBucket first = views.increment("home");
    CounterBucket second = views.increment("home", 5);
    Instant after = redisNow();

    assertThat(first.start()).isIn(
        Granularity.MINUTE.bucketStart(before), Granularity.MINUTE.bucketStart(after));
    assertThat(first.count()).isEqualTo(1);
    if (second.start().equals(first.start())) {
      assertThat(second.count()).isEqualTo(6);
    }

    Instant from = first.start().minus(Duration.ofMinutes(2));
    Instant to = second.start().plus(Duration.ofMinutes(2));
    List<CounterBucket> series = views.series("home", from, to);
    assertThat(series).extracting(CounterBucket::start).isSortedAccordingTo(Instant::compareTo);
    assertThat(series.get(0)).isEqualTo(new CounterBucket(from, 0));
    assertThat(series.get(1).start()).isEqualTo(from.plus(Duration.ofMinutes(1)));
    assertThat(series).hasSize(second.start().equals(first.start()) ? 4 : 5);
    assertThat(series).filteredOn(b -> b.start().equals(first.start()))
        .extracting(CounterBucket::count).containsExactly(second.start().equals(first.start())
            ? 6L : 1L);
    assertThat(views.total("home", from, to)).isEqualTo(6);
    assertThat(views.total("other", from, to)).as("another key's series").isZero();
  }

  @Test
  void incrementAsync_addsToTheSameSeriesAsIncrement_futureTellsTheBucket() {
    Counter views = weft.counter("page-views",
        CounterOptions.defaults().granularity(Granularity.HOUR));
    views.increment("home");
    Instant before = redisNow();
    CounterBucket bucket = views.incrementAsync("home", 2).join();
    Instant after = redisNow();

    assertThat(bucket.start()).isIn(
        Granularity.HOUR.bucketStart(before), Granularity.HOUR.bucketStart(after));
    Instant from = bucket.start().minus(Duration.ofHours(1));
    Instant to = bucket.start().plus(Duration.ofHours(1));
    assertThat(views.total("home", from, to)).isEqualTo(3);
    assertThatThrownBy(() -> views.incrementAsync("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> views.incrementAsync("home", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bucketKey_expiresRetentionAfterTheBucketEnds() {
    Counter counter = weft.counter("ttl",
        CounterOptions.defaults().granularity(Granularity.HOUR).retention(Duration.ofHours(2)));
    CounterBucket bucket = counter.increment("k");

    String key = "weft:ctr:ttl:{k}:h:" + bucket.start().getEpochSecond();
    long expectedExpiry = bucket.start().getEpochSecond() + 3_600 + 7_200;
    long ttl = redis.ttl(key);
    long now = redisNow().getEpochSecond();
    assertThat(now + ttl).isBetween(expectedExpiry - 1, expectedExpiry + 1);
  }

  @Test
  void incrementsAcrossSecondBoundaries_splitByRedisClock_seriesMatches() {
    Counter counter = weft.counter("boundary",
        CounterOptions.defaults().granularity(Granularity.SECOND).retention(Duration.ofMinutes(5)));
    Instant start = redisNow();
    Map<Instant, Long> lastCount = new LinkedHashMap<>();
    int increments = 0;
    // run across at least two boundaries of Redis's clock
    Instant stop = Granularity.SECOND.bucketStart(start).plusSeconds(2).plusMillis(100);
    Instant now = start;
    while (now.isBefore(stop)) {
      Instant sentAfter = redisNow();
      CounterBucket bucket = counter.increment("k");
      now = redisNow();
      increments++;
      assertThat(bucket.start()).as("the bucket of Redis's TIME during the script")
          .isBetween(Granularity.SECOND.bucketStart(sentAfter),
              Granularity.SECOND.bucketStart(now));
      Long previous = lastCount.get(bucket.start());
      assertThat(bucket.count()).as("counts restart at each boundary")
          .isEqualTo(previous == null ? 1 : previous + 1);
      lastCount.put(bucket.start(), bucket.count());
    }

    assertThat(lastCount).hasSizeGreaterThanOrEqualTo(3);
    List<Instant> starts = new ArrayList<>(lastCount.keySet());
    assertThat(starts).isSortedAccordingTo(Instant::compareTo);
    Instant from = starts.get(0);
    Instant to = starts.get(starts.size() - 1).plusSeconds(1);
    List<CounterBucket> series = counter.series("k", from, to);
    assertThat(series).hasSize((int) Duration.between(from, to).toSeconds());
    for (CounterBucket bucket : series) {
      assertThat(bucket.count()).isEqualTo(lastCount.getOrDefault(bucket.start(), 0L));
    }
    assertThat(counter.total("k", from, to)).isEqualTo(increments);
  }

  @Test
  void expiredBuckets_readAsZero() throws Exception {
    Counter counter = weft.counter("short",
        CounterOptions.defaults().granularity(Granularity.SECOND).retention(Duration.ofSeconds(1)));
    CounterBucket bucket = counter.increment("k", 3);
    Instant to = bucket.start().plusSeconds(1);
    assertThat(counter.total("k", bucket.start(), to)).isEqualTo(3);

    // the key expires one second after its bucket ends
    Await.until(Duration.ofSeconds(10), () -> "Redis's clock past the bucket's expiry",
        () -> redisNow().isAfter(bucket.start().plusSeconds(2).plusMillis(100)));
    assertThat(counter.series("k", bucket.start(), to))
        .containsExactly(new CounterBucket(bucket.start(), 0));
  }

  @Test
  void concurrentIncrements_fromManyThreads_allCounted() throws Exception {
    Counter counter = weft.counter("busy", CounterOptions.defaults().granularity(Granularity.DAY));
    Instant from = Instant.now().minus(Duration.ofDays(2));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 250; i++) {
            counter.increment("k", 2);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(counter.total("k", from, Instant.now().plus(Duration.ofDays(2)))).isEqualTo(4_000);
  }

  @Test
  void keysWithBracesAndColons_keepTheirOwnSeries() {
    Counter counter = weft.counter("odd", CounterOptions.defaults().granularity(Granularity.DAY));
    counter.increment("a}b:{c", 2);
    counter.increment("a", 1);
    Instant from = Instant.now().minus(Duration.ofDays(1));
    Instant to = Instant.now().plus(Duration.ofDays(1));

    assertThat(counter.total("a}b:{c", from, to)).isEqualTo(2);
    assertThat(counter.total("a", from, to)).isEqualTo(1);
    assertThat(redis.keys("weft:ctr:odd:*")).allSatisfy(k -> assertThat(k).contains("{a"));
  }

  @Test
  void ranges_areHalfOpen_andBounded() {
    Counter counter = weft.counter("ranges",
        CounterOptions.defaults().granularity(Granularity.MINUTE));
    Instant t = Instant.parse("2026-01-01T10:00:00Z");

    assertThat(counter.series("k", t, t)).isEmpty();
    assertThat(counter.series("k", t, t.plusSeconds(60))).hasSize(1);
    assertThat(counter.series("k", t.plusSeconds(59), t.plusSeconds(61)))
        .extracting(CounterBucket::start).containsExactly(t, t.plusSeconds(60));
    assertThatThrownBy(() -> counter.series("k", t, t.minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before");
    assertThatThrownBy(() -> counter.series("k", t, t.plus(Duration.ofDays(30))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in parts");
    assertThatThrownBy(() -> counter.increment("k", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> counter.increment("", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> weft.counter("no spaces",
        CounterOptions.defaults().granularity(Granularity.DAY)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("letters, digits");
  }

  private Instant redisNow() {
    List<String> time = redis.time();
    return Instant.ofEpochSecond(Long.parseLong(time.get(0)),
        Long.parseLong(time.get(1)) * 1_000);
  }

  @Test
  void incrementWithAnEventId_countsEachEventOnce() {
    Counter counter = weft.counter("events",
        CounterOptions.defaults().granularity(Granularity.DAY));

    CounterBucket first = counter.increment("orders", 1, "1700000000000-0");
    CounterBucket again = counter.increment("orders", 1, "1700000000000-0");
    CounterBucket next = counter.increment("orders", 3, "1700000000000-1");

    assertThat(first.count()).isEqualTo(1);
    assertThat(again).as("the same event delivered again: nothing added").isEqualTo(first);
    assertThat(next.count()).isEqualTo(4);
    assertThat(counter.increment("other", 1, "1700000000000-0").count())
        .as("an event id is remembered per series").isEqualTo(1);
    assertThat(redis.pttl("weft:ctr:events:{orders}:seen:1700000000000-0"))
        .as("remembered for a day").isBetween(86_000_000L, 86_400_000L);
  }


  @Test
  void delete_removesEveryBucketOfTheSeries_andNoOther() {
    Counter counter = weft.counter("erasable",
        CounterOptions.defaults().granularity(Granularity.SECOND).retention(Duration.ofMinutes(1)));
    // buckets in the past as increments would have left them, and one now
    long now = Long.parseLong(redis.time().get(0));
    for (long ago : new long[] {1, 30, 59}) {
      redis.setex("weft:ctr:erasable:{user-7}:s:" + (now - ago), 120, "3");
    }
    counter.increment("user-7");
    counter.increment("user-8");

    assertThat(counter.delete("user-7")).isEqualTo(4);

    Instant from = Instant.ofEpochSecond(now - 70);
    Instant to = Instant.ofEpochSecond(now + 5);
    assertThat(counter.total("user-7", from, to)).isZero();
    assertThat(counter.total("user-8", from, to)).as("another series").isEqualTo(1);
    assertThat(counter.delete("user-7")).as("nothing left").isZero();
  }

}
