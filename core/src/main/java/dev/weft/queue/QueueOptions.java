package dev.weft.queue;

import dev.weft.internal.OptionDurations;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a {@link ReliableQueue}'s consumers may hold an item, how often an item is tried, and
 * how much the queue holds. Immutable: start from {@link #defaults()}; each setter returns a copy.
 * Durations are taken as {@link Duration} or as the annotations' text ({@code "5m"}).
 *
 * <pre>{@code
 * QueueOptions.defaults();                                                 // 30 s, 5 deliveries
 * QueueOptions.defaults().visibilityTimeout("5m").maxDeliveries(3).capacity(10_000);
 * }</pre>
 *
 * @param visibilityTimeout how long a taken item is leased to its consumer: unacknowledged after
 *     that (its consumer crashed, hung or was too slow), it is delivered again; at least 1 ms
 * @param maxDeliveries after this many deliveries, an item whose lease expires goes to the dead
 *     letters instead of back to the queue; 0 for never (an item that always fails then cycles
 *     forever)
 * @param capacity the most items ready and in flight together; {@link ReliableQueue#offer} refuses
 *     more; at least 1
 * @param deadLetterCapacity the most dead letters kept, the oldest dropped first; at least 1
 */
public record QueueOptions(
    Duration visibilityTimeout, int maxDeliveries, long capacity, int deadLetterCapacity) {

  /** {@link #maxDeliveries} unless set. */
  public static final int DEFAULT_MAX_DELIVERIES = 5;

  /** {@link #capacity} unless set. */
  public static final long DEFAULT_CAPACITY = 1_000_000;

  /** {@link #deadLetterCapacity} unless set. */
  public static final int DEFAULT_DEAD_LETTER_CAPACITY = 10_000;

  /**
   * @throws NullPointerException if {@code visibilityTimeout} is {@code null}
   * @throws IllegalArgumentException if a value is out of range
   */
  public QueueOptions {
    Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
    if (visibilityTimeout.toMillis() < 1) {
      throw new IllegalArgumentException(
          "visibilityTimeout must be at least 1 ms (longer than an item takes to process), was "
              + visibilityTimeout);
    }
    if (maxDeliveries < 0) {
      throw new IllegalArgumentException(
          "maxDeliveries must be 1 or more, or 0 to never dead-letter, was " + maxDeliveries);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    if (deadLetterCapacity < 1) {
      throw new IllegalArgumentException(
          "deadLetterCapacity must be at least 1, was " + deadLetterCapacity);
    }
  }

  /** {@link #visibilityTimeout} unless set. */
  public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

  private static final QueueOptions DEFAULTS =
      new QueueOptions(DEFAULT_VISIBILITY_TIMEOUT, DEFAULT_MAX_DELIVERIES, DEFAULT_CAPACITY,
          DEFAULT_DEAD_LETTER_CAPACITY);

  /**
   * @return a 30-second visibility timeout, 5 deliveries, a capacity of 1,000,000 and 10,000 dead
   *     letters
   */
  public static QueueOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @param visibilityTimeout how long a taken item is leased, at least 1 ms, not {@code null}
   * @return a copy with this timeout
   */
  public QueueOptions visibilityTimeout(Duration visibilityTimeout) {
    return new QueueOptions(visibilityTimeout, maxDeliveries, capacity, deadLetterCapacity);
  }

  /**
   * @param visibilityTimeout the same as duration text, e.g. {@code "5m"}
   * @return a copy with this timeout
   */
  public QueueOptions visibilityTimeout(String visibilityTimeout) {
    return visibilityTimeout(OptionDurations.parse("QueueOptions.visibilityTimeout",
        visibilityTimeout));
  }

  /**
   * @param n deliveries before an expiring item is dead-lettered, or 0 for never
   * @return a copy with this limit
   */
  public QueueOptions maxDeliveries(int n) {
    return new QueueOptions(visibilityTimeout, n, capacity, deadLetterCapacity);
  }

  /**
   * @param n the most items ready and in flight, at least 1
   * @return a copy with this capacity
   */
  public QueueOptions capacity(long n) {
    return new QueueOptions(visibilityTimeout, maxDeliveries, n, deadLetterCapacity);
  }

  /**
   * @param n the most dead letters kept, at least 1
   * @return a copy with this bound
   */
  public QueueOptions deadLetterCapacity(int n) {
    return new QueueOptions(visibilityTimeout, maxDeliveries, capacity, n);
  }
}
