package dev.weft.bloom;

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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link BloomFilter} against a real Redis: accuracy, no false negatives, key layout, lifetime. */
@WeftRedis
class BloomFilterTest {

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

  /**
   * n items in, 20,000 items never added probed: every added item is found, and the share of
   * probes found is the configured rate within a statistical margin. The count of false positives
   * is binomial (20,000 trials at p = 1%: mean 200, standard deviation 14); the bounds are about 4
   * deviations above (256) and 7 below (100) the mean, so the test fails for a wrong size, a
   * weak hash or correlated positions, not by chance.
   */
  @Test
  void nItemsAdded_noFalseNegatives_falsePositiveRateOnDisjointProbesWithinBound() {
    int n = 10_000;
    double p = 0.01;
    BloomFilter filter = weft.bloomFilter("accuracy",
        BloomOptions.defaults().expectedItems(n).falsePositiveRate(p));
    List<String> added = IntStream.range(0, n).mapToObj(i -> "user-" + i + "@example.com").toList();
    List<String> probes =
        IntStream.range(0, 20_000).mapToObj(i -> "probe-" + i + "@example.org").toList();

    long newlyAdded = filter.addAll(added);
    List<Boolean> found = filter.mightContainAll(added);
    List<Boolean> probed = filter.mightContainAll(probes);

    assertThat(newlyAdded).as("items that changed a bit").isGreaterThan(n - n / 50);
    assertThat(found).as("false negatives").hasSize(n).doesNotContain(false);
    long falsePositives = probed.stream().filter(b -> b).count();
    assertThat(probed).hasSize(probes.size());
    assertThat(falsePositives).as("false positives among %d probes", probes.size())
        .isBetween(100L, 256L);
  }

  @Test
  void add_newItemTrue_sameItemAgainFalse_andSingleCheckAgreesWithBatch() {
    BloomFilter filter = weft.bloomFilter("single",
        BloomOptions.defaults().expectedItems(100).falsePositiveRate(0.01));

    assertThat(filter.mightContain("alice")).isFalse();
    assertThat(filter.add("alice")).isTrue();
    assertThat(filter.add("alice")).isFalse();
    assertThat(filter.mightContain("alice")).isTrue();
    assertThat(filter.mightContain("alice".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isTrue();
    assertThat(filter.mightContainAll(List.of("alice", "bob"))).containsExactly(true, false);
  }

  @Test
  void addAll_moreThanOneBatch_everyItemFound() {
    BloomFilter filter = weft.bloomFilter("batches",
        BloomOptions.defaults().expectedItems(5_000).falsePositiveRate(0.001));
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 2 * BloomFilter.BATCH + 7; i++) {
      items.add("item-" + i);
    }

    filter.addAll(items);

    assertThat(filter.mightContainAll(items)).hasSize(items.size()).doesNotContain(false);
    assertThat(filter.addAll(List.of())).isZero();
    assertThat(filter.mightContainAll(List.of())).isEmpty();
  }

  @Test
  void bitmap_atDocumentedKey_sizedByM_withoutLifetimeNoTtl() {
    BloomFilter filter = weft.bloomFilter("we{ird}",
        BloomOptions.defaults().expectedItems(1_000).falsePositiveRate(0.01));
    filter.addAll(IntStream.range(0, 1_000).mapToObj(Integer::toString).toList());

    String key = "weft:bloom:{we%7Bird%7D}:9586:7";
    assertThat(redis.keys("weft:bloom:*")).containsExactly(key);
    assertThat(redis.strlen(key)).isLessThanOrEqualTo((9_586 + 7) / 8);
    assertThat(redis.pttl(key)).isEqualTo(-1L);
    assertThat(redis.bitcount(key)).isBetween(1L, 9_586L);
  }

  @Test
  void lifetime_setAtCreation_laterAddsDoNotExtendIt() {
    Duration lifetime = Duration.ofMinutes(10);
    BloomFilter filter =
        weft.bloomFilter("daily",
            BloomOptions.defaults().expectedItems(100).falsePositiveRate(0.01).expireAfter(
                lifetime));
    String key = "weft:bloom:{daily}:" + filter.bits() + ":" + filter.hashes();

    filter.add("first");
    long first = redis.pttl(key);
    redis.pexpire(key, 60_000);
    filter.add("second");
    long afterSecond = redis.pttl(key);

    assertThat(first).isBetween(lifetime.toMillis() - 5_000, lifetime.toMillis());
    assertThat(afterSecond).as("not extended by the second add").isBetween(1L, 60_000L);
  }

  @Test
  void expiredFilter_startsEmpty() {
    BloomFilter filter =
        weft.bloomFilter("short",
            BloomOptions.defaults().expectedItems(100).falsePositiveRate(0.01).expireAfter(
                Duration.ofMillis(50)));
    filter.add("x");

    dev.weft.test.Await.until(Duration.ofSeconds(10), () -> "the filter expired",
        () -> !filter.mightContain("x"));

    assertThat(filter.add("x")).isTrue();
  }

  @Test
  void otherSizes_useAnotherBitmap_andClearEmpties() {
    BloomFilter small = weft.bloomFilter("resized",
        BloomOptions.defaults().expectedItems(100).falsePositiveRate(0.01));
    BloomFilter large = weft.bloomFilter("resized",
        BloomOptions.defaults().expectedItems(10_000).falsePositiveRate(0.01));
    small.add("kept");

    assertThat(large.mightContain("kept")).isFalse();
    assertThat(small.mightContain("kept")).isTrue();
    assertThat(small.clear()).isTrue();
    assertThat(small.mightContain("kept")).isFalse();
    assertThat(small.clear()).isFalse();
  }

  @Test
  void invalidArguments_areRejectedWithWhatIsRight() {
    assertThatThrownBy(() -> weft.bloomFilter("",
        BloomOptions.defaults().expectedItems(1).falsePositiveRate(0.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name must not be empty");
    BloomFilter filter = weft.bloomFilter("f",
        BloomOptions.defaults().expectedItems(1).falsePositiveRate(0.5));
    assertThatThrownBy(() -> filter.add((String) null)).isInstanceOf(NullPointerException.class);
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> filter.addAll(withNull))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("items contains null");
  }
}
