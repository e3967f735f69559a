package dev.weft.counter;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Counter} or {@link UniqueCounter} buckets time and how long it keeps a bucket.
 * Immutable.
 *
 * <pre>{@code
 * CounterOptions.buckets(Granularity.MINUTE);                                  // kept 1 day
 * CounterOptions.buckets(Granularity.HOUR).retention(Duration.ofDays(30));
 * }</pre>
 *
 * @param granularity the length of a bucket, not {@code null}
 * @param retention how long a bucket is kept after it ends (its key expires then; reads of older
 *     buckets see 0), whole seconds, at least 1 s
 */
public record CounterOptions(Granularity granularity, Duration retention) {

  /**
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code retention} is shorter than 1 s or not whole seconds
   */
  public CounterOptions {
    Objects.requireNonNull(granularity, "granularity");
    Objects.requireNonNull(retention, "retention");
    if (retention.getSeconds() < 1 || retention.getNano() != 0) {
      throw new IllegalArgumentException(
          "retention must be a whole number of seconds, at least 1 s, such as"
              + " Duration.ofDays(1), was " + retention);
    }
  }

  /**
   * @param granularity the length of a bucket, not {@code null}
   * @return options with that granularity and its {@linkplain Granularity#defaultRetention()
   *     default retention}
   */
  public static CounterOptions buckets(Granularity granularity) {
    Objects.requireNonNull(granularity, "granularity");
    return new CounterOptions(granularity, granularity.defaultRetention());
  }

  /**
   * @param retention how long a bucket is kept after it ends, whole seconds, at least 1 s
   * @return a copy with this retention
   */
  public CounterOptions retention(Duration retention) {
    return new CounterOptions(granularity, retention);
  }
}
