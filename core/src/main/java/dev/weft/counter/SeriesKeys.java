package dev.weft.counter;

import dev.weft.internal.plan.KeyText;
import dev.weft.internal.redis.HashTags;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.syntax.NameSyntax;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The keys of one counter's series: {@code <prefix><name>:{<key>}:<granularity code>:<bucket
 * start in epoch seconds>}. The user's key is the hash tag, so every bucket of one series lies in
 * one cluster slot (one MGET or PFCOUNT reads a range), while different keys spread over the
 * cluster.
 */
final class SeriesKeys {

  static final int MAX_BUCKETS = Counter.MAX_BUCKETS;

  /** How many bucket keys {@link #delete} deletes per command. */
  static final int DELETE_BATCH = 1_000;

  private final String prefix;
  private final Granularity granularity;

  SeriesKeys(String prefix, String name, Granularity granularity) {
    this.prefix = prefix + name + ":";
    this.granularity = granularity;
  }

  static String checkName(String what, String name) {
    Objects.requireNonNull(name, "name");
    String problem = NameSyntax.counterNameProblem(what, name);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return name;
  }

  /** @return the prefix of the series' bucket keys, ending in ':', hash-tagged by {@code key} */
  String series(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException(
          "a counter's key must not be empty; use what is counted, such as \"home\" or a user id");
    }
    return HashTags.tagged(prefix, KeyText.bound(key)) + ":" + granularity.code() + ":";
  }

  /**
   * @return the key of the record of {@code eventId} for the series of {@code key}: in the
   *     series' slot, apart from its buckets
   */
  String seen(String key, String eventId) {
    return HashTags.tagged(prefix, KeyText.bound(key)) + ":seen:" + eventId;
  }

  /**
   * @return the epoch seconds of the first bucket that overlaps {@code [from, to)}; the range
   *     covers {@link #count} buckets from there
   */
  long first(Instant from) {
    return granularity.floor(from.getEpochSecond());
  }

  /** @return how many buckets overlap {@code [from, to)} */
  int count(Instant from, Instant to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to (" + to + ") is before from (" + from + ")");
    }
    if (to.equals(from)) {
      return 0;
    }
    long first = first(from);
    // the bucket holding the last instant before 'to'
    Instant last = to.minusNanos(1);
    long buckets = (granularity.floor(last.getEpochSecond()) - first) / granularity.seconds() + 1;
    if (buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException(
          "the range " + from + " to " + to + " covers " + buckets + " buckets of " + granularity
              + ", more than the " + MAX_BUCKETS + " one read may cover; read it in parts");
    }
    return (int) buckets;
  }

  /** @return the keys of the buckets overlapping {@code [from, to)}, oldest first */
  String[] keys(String key, Instant from, Instant to) {
    String series = series(key);
    int n = count(from, to);
    long first = first(from);
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = series + (first + i * granularity.seconds());
    }
    return keys;
  }

  /**
   * Deletes every bucket of {@code key}'s series that can exist: those of the retention up to now
   * on Redis's clock, one bucket of margin on each side, {@value #DELETE_BATCH} keys per command.
   *
   * @return how many buckets existed
   */
  long delete(RedisGateway redis, String key, Duration retention) {
    String series = series(key);
    long step = granularity.seconds();
    byte[] seconds = redis.execute(c -> c.time()).get(0);
    long now = Long.parseLong(new String(seconds, StandardCharsets.US_ASCII));
    long first = granularity.floor(now - retention.getSeconds()) - step;
    long last = granularity.floor(now) + step;
    long deleted = 0;
    for (long start = first; start <= last; ) {
      int n = (int) Math.min(DELETE_BATCH, (last - start) / step + 1);
      String[] batch = new String[n];
      for (int i = 0; i < n; i++, start += step) {
        batch[i] = series + start;
      }
      deleted += redis.execute(c -> c.del(batch));
    }
    return deleted;
  }

  Granularity granularity() {
    return granularity;
  }
}
