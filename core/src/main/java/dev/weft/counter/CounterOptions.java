package dev.weft.counter;

import dev.weft.internal.OptionDurations;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Counter} or {@link UniqueCounter} buckets time and how long it keeps a bucket.
 * Immutable: start from {@link #defaults()}; each setter returns a copy. Durations are taken as
 * {@link Duration} or as the annotations' text ({@code "30d"}).
 *
 * <pre>{@code
 * CounterOptions.defaults();                                               // minutes, kept 1 day
 * CounterOptions.defaults().granularity(Granularity.HOUR).retention("30d");
 * }</pre>
 *
 * @param granularity the length of a bucket, not {@code null}
 * @param retention how long a bucket is kept after it ends (its key expires then; reads of older
 *     buckets see 0), whole seconds, at least 1 s; {@link Duration#ZERO} for the granularity's
 *     {@linkplain Granularity#defaultRetention() default}, which {@link #retention()} then returns
 */
public record CounterOptions(Granularity granularity, Duration retention) {

  private static final CounterOptions DEFAULTS =
      new CounterOptions(Granularity.MINUTE, Duration.ZERO);

  /**
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code retention} is not zero and shorter than 1 s or not
   *     whole seconds
   */
  public CounterOptions {
    Objects.requireNonNull(granularity, "granularity");
    Objects.requireNonNull(retention, "retention");
    if (!retention.isZero() && (retention.getSeconds() < 1 || retention.getNano() != 0)) {
      throw new IllegalArgumentException(
          "retention must be a whole number of seconds, at least 1 s, such as"
              + " Duration.ofDays(1) or \"1d\", was " + retention);
    }
  }

  /**
   * @return {@code @Counted}'s defaults: buckets of a {@linkplain Granularity#MINUTE minute}, kept
   *     for that granularity's {@linkplain Granularity#defaultRetention() default retention}
   */
  public static CounterOptions defaults() {
    return DEFAULTS;
  }

  /** @return the retention in force: the one set, else the granularity's default */
  @Override
  public Duration retention() {
    return retention.isZero() ? granularity.defaultRetention() : retention;
  }

  /**
   * @param granularity the length of a bucket, not {@code null}; a retention not set follows it
   * @return a copy with this granularity
   */
  public CounterOptions granularity(Granularity granularity) {
    return new CounterOptions(granularity, retention);
  }

  /**
   * @param retention how long a bucket is kept after it ends, whole seconds, at least 1 s
   * @return a copy with this retention
   */
  public CounterOptions retention(Duration retention) {
    return new CounterOptions(granularity, retention);
  }

  /**
   * @param retention the same as duration text, e.g. {@code "30d"}
   * @return a copy with this retention
   */
  public CounterOptions retention(String retention) {
    return retention(OptionDurations.parse("CounterOptions.retention", retention));
  }
}
