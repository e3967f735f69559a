package dev.weft.writebehind;

import dev.weft.internal.OptionDurations;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WriteBehind} stores entries, persists them and retries. Immutable: start from
 * {@link #defaults()}; each setter returns a copy. Durations are taken as {@link Duration} or as
 * the annotations' text ({@code "1h"}).
 *
 * <pre>{@code
 * WriteBehindOptions.defaults().ttl("1h");                                  // defaults otherwise
 * WriteBehindOptions.defaults().ttl(Duration.ofHours(1)).consumers(4).minIdle("10s")
 *     .maxDeliveries(8).maxBacklog(100_000);
 * WriteBehindOptions.defaults().ttl("1h").consumers(0);            // this process only writes
 * }</pre>
 *
 * @param ttl each cache entry's time to live, positive (the value waiting to be persisted does not
 *     expire: it is kept in the write-behind stream)
 * @param jitter random extra lifetime of each entry, zero for none
 * @param consumers how many persisting loops this process runs, each on its own thread and
 *     connection; 0 for a process that only writes (another process persists)
 * @param minIdle how long a failed or abandoned write waits before it is retried; also each key's
 *     persist lease, so it must be longer than {@link Persister#persist} ever takes; at least 1 ms
 * @param maxDeliveries attempts after which a write whose persisting keeps failing becomes a dead
 *     letter; 0 for never (it is retried forever)
 * @param batch how many writes one read of the stream fetches, at least 1
 * @param maxBacklog the most writes waiting to be persisted; {@link WriteBehind#write} refuses
 *     more; at least 1
 */
public record WriteBehindOptions(
    Duration ttl, Duration jitter, int consumers, Duration minIdle, int maxDeliveries, int batch,
    long maxBacklog) {

  /** {@link #consumers} unless set. */
  public static final int DEFAULT_CONSUMERS = 1;

  /** {@link #minIdle} unless set. */
  public static final Duration DEFAULT_MIN_IDLE = Duration.ofSeconds(30);

  /** {@link #maxDeliveries} unless set. */
  public static final int DEFAULT_MAX_DELIVERIES = 5;

  /** {@link #batch} unless set. */
  public static final int DEFAULT_BATCH = 10;

  /** {@link #maxBacklog} unless set. */
  public static final long DEFAULT_MAX_BACKLOG = 1_000_000;

  /**
   * @throws NullPointerException if a duration is {@code null}
   * @throws IllegalArgumentException if a value is out of range
   */
  public WriteBehindOptions {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(jitter, "jitter");
    Objects.requireNonNull(minIdle, "minIdle");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
    }
    if (jitter.isNegative()) {
      throw new IllegalArgumentException("jitter must be zero or more, was " + jitter);
    }
    if (consumers < 0) {
      throw new IllegalArgumentException(
          "consumers must be 1 or more, or 0 for a process that only writes, was " + consumers);
    }
    if (minIdle.toMillis() < 1) {
      throw new IllegalArgumentException(
          "minIdle must be at least 1 ms (longer than a persist takes), was " + minIdle);
    }
    if (maxDeliveries < 0) {
      throw new IllegalArgumentException(
          "maxDeliveries must be 1 or more, or 0 to never dead-letter, was " + maxDeliveries);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, was " + batch);
    }
    if (maxBacklog < 1) {
      throw new IllegalArgumentException("maxBacklog must be at least 1, was " + maxBacklog);
    }
  }

  /** {@link #ttl} unless set: as {@code @Cached}'s. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  private static final WriteBehindOptions DEFAULTS =
      new WriteBehindOptions(DEFAULT_TTL, Duration.ZERO, DEFAULT_CONSUMERS, DEFAULT_MIN_IDLE,
          DEFAULT_MAX_DELIVERIES, DEFAULT_BATCH, DEFAULT_MAX_BACKLOG);

  /**
   * @return a 10-minute entry lifetime, no jitter, 1 consumer, 30 s idle time, 5 deliveries,
   *     batches of 10, a backlog of 1,000,000
   */
  public static WriteBehindOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @param ttl each entry's time to live, positive
   * @return a copy with this entry lifetime
   */
  public WriteBehindOptions ttl(Duration ttl) {
    return new WriteBehindOptions(ttl, jitter, consumers, minIdle, maxDeliveries, batch,
        maxBacklog);
  }

  /**
   * @param ttl the same as duration text, e.g. {@code "1h"}
   * @return a copy with this entry lifetime
   */
  public WriteBehindOptions ttl(String ttl) {
    return ttl(OptionDurations.parse("WriteBehindOptions.ttl", ttl));
  }

  /**
   * @param extra the largest random extra lifetime, zero or more
   * @return a copy with this jitter
   */
  public WriteBehindOptions jitter(Duration extra) {
    return new WriteBehindOptions(ttl, extra, consumers, minIdle, maxDeliveries, batch,
        maxBacklog);
  }

  /**
   * @param extra the same as duration text, e.g. {@code "30s"}
   * @return a copy with this jitter
   */
  public WriteBehindOptions jitter(String extra) {
    return jitter(OptionDurations.parse("WriteBehindOptions.jitter", extra));
  }

  /**
   * @param n persisting loops in this process, or 0 for none
   * @return a copy with this many consumers
   */
  public WriteBehindOptions consumers(int n) {
    return new WriteBehindOptions(ttl, jitter, n, minIdle, maxDeliveries, batch, maxBacklog);
  }

  /**
   * @param idle the retry delay and per-key lease, at least 1 ms
   * @return a copy with this idle time
   */
  public WriteBehindOptions minIdle(Duration idle) {
    return new WriteBehindOptions(ttl, jitter, consumers, idle, maxDeliveries, batch, maxBacklog);
  }

  /**
   * @param idle the same as duration text, e.g. {@code "10s"}
   * @return a copy with this idle time
   */
  public WriteBehindOptions minIdle(String idle) {
    return minIdle(OptionDurations.parse("WriteBehindOptions.minIdle", idle));
  }

  /**
   * @param n attempts before a failing write is dead-lettered, or 0 for never
   * @return a copy with this limit
   */
  public WriteBehindOptions maxDeliveries(int n) {
    return new WriteBehindOptions(ttl, jitter, consumers, minIdle, n, batch, maxBacklog);
  }

  /**
   * @param n writes per read, at least 1
   * @return a copy with this batch size
   */
  public WriteBehindOptions batch(int n) {
    return new WriteBehindOptions(ttl, jitter, consumers, minIdle, maxDeliveries, n, maxBacklog);
  }

  /**
   * @param n the most writes waiting to be persisted, at least 1
   * @return a copy with this bound
   */
  public WriteBehindOptions maxBacklog(long n) {
    return new WriteBehindOptions(ttl, jitter, consumers, minIdle, maxDeliveries, batch, n);
  }
}
