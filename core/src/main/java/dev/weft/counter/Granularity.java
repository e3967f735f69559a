package dev.weft.counter;

import java.time.Duration;
import java.time.Instant;

/**
 * The length of a counter's time buckets. Buckets are aligned on the Unix epoch, so their
 * boundaries are the same in every process and every time zone: a {@link #DAY} starts at midnight
 * UTC, an {@link #HOUR} on the hour, a {@link #MINUTE} on the minute.
 */
public enum Granularity {
  /** One-second buckets, for rates; keep their retention short. */
  SECOND(1, "s", Duration.ofHours(1)),
  /** One-minute buckets. */
  MINUTE(60, "m", Duration.ofDays(1)),
  /** One-hour buckets. */
  HOUR(3_600, "h", Duration.ofDays(7)),
  /** One-day buckets, from midnight UTC. */
  DAY(86_400, "d", Duration.ofDays(90));

  private final long seconds;
  private final String code;
  private final Duration defaultRetention;

  Granularity(long seconds, String code, Duration defaultRetention) {
    this.seconds = seconds;
    this.code = code;
    this.defaultRetention = defaultRetention;
  }

  /** @return a bucket's length, never {@code null} */
  public Duration length() {
    return Duration.ofSeconds(seconds);
  }

  /**
   * @param instant a point in time, not {@code null}
   * @return the start of the bucket that holds it, never {@code null}
   */
  public Instant bucketStart(Instant instant) {
    return Instant.ofEpochSecond(floor(instant.getEpochSecond()));
  }

  /** @return the retention of a counter of this granularity by default, never {@code null} */
  public Duration defaultRetention() {
    return defaultRetention;
  }

  long seconds() {
    return seconds;
  }

  /** @return the letter that stands for this granularity in Redis keys */
  String code() {
    return code;
  }

  long floor(long epochSecond) {
    return Math.floorDiv(epochSecond, seconds) * seconds;
  }
}
