package dev.weft.stream;

import dev.weft.internal.OptionDurations;
import java.time.Duration;
import java.util.Objects;

/**
 * How a consumer loop of {@link StreamConsumers} reads and retries: the programmatic twin of
 * {@link dev.weft.annotation.StreamListener}'s attributes. Immutable: start from {@link #defaults()}; each setter returns a
 * copy. Durations are taken as {@link Duration} or as the annotations' text ({@code "2m"}).
 *
 * <pre>{@code
 * ConsumerOptions.defaults();                                     // 30 s, 5 deliveries, 10
 * ConsumerOptions.defaults().minIdle("2m").maxDeliveries(3).consumer("worker-1");
 * }</pre>
 *
 * @param consumer this consumer's name in the group, or empty for a unique generated name
 * @param minIdle how long an entry stays pending before any consumer claims it again; at least
 *     1 ms, longer than processing ever takes
 * @param maxDeliveries deliveries after which a failing entry goes to the dead letters; 0 for
 *     never
 * @param batch how many entries one read fetches, at least 1
 */
public record ConsumerOptions(String consumer, Duration minIdle, int maxDeliveries, int batch) {

  /** {@link #minIdle} unless set. */
  public static final Duration DEFAULT_MIN_IDLE = Duration.ofSeconds(30);

  /** {@link #maxDeliveries} unless set. */
  public static final int DEFAULT_MAX_DELIVERIES = 5;

  /** {@link #batch} unless set. */
  public static final int DEFAULT_BATCH = 10;

  /**
   * @throws NullPointerException if {@code consumer} or {@code minIdle} is {@code null}
   * @throws IllegalArgumentException if a value is out of range
   */
  public ConsumerOptions {
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(minIdle, "minIdle");
    if (minIdle.toMillis() < 1) {
      throw new IllegalArgumentException(
          "minIdle must be at least 1 ms (longer than an entry takes to process), was " + minIdle);
    }
    if (maxDeliveries < 0) {
      throw new IllegalArgumentException(
          "maxDeliveries must be 1 or more, or 0 to never dead-letter, was " + maxDeliveries);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, was " + batch);
    }
  }

  /** @return a generated consumer name, 30 s idle time, 5 deliveries, batches of 10 */
  public static ConsumerOptions defaults() {
    return new ConsumerOptions("", DEFAULT_MIN_IDLE, DEFAULT_MAX_DELIVERIES, DEFAULT_BATCH);
  }

  /**
   * @param name this consumer's name in the group, not {@code null}; empty for a generated one
   * @return a copy with this name
   */
  public ConsumerOptions consumer(String name) {
    return new ConsumerOptions(name, minIdle, maxDeliveries, batch);
  }

  /**
   * @param idle how long an entry stays pending before it is claimed again, at least 1 ms
   * @return a copy with this idle time
   */
  public ConsumerOptions minIdle(Duration idle) {
    return new ConsumerOptions(consumer, idle, maxDeliveries, batch);
  }

  /**
   * @param idle the same as duration text, e.g. {@code "2m"}
   * @return a copy with this idle time
   */
  public ConsumerOptions minIdle(String idle) {
    return minIdle(OptionDurations.parse("ConsumerOptions.minIdle", idle));
  }

  /**
   * @param n deliveries before a failing entry is dead-lettered, or 0 for never
   * @return a copy with this limit
   */
  public ConsumerOptions maxDeliveries(int n) {
    return new ConsumerOptions(consumer, minIdle, n, batch);
  }

  /**
   * @param n entries per read, at least 1
   * @return a copy with this batch size
   */
  public ConsumerOptions batch(int n) {
    return new ConsumerOptions(consumer, minIdle, maxDeliveries, n);
  }
}
