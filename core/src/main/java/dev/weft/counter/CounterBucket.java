package dev.weft.counter;

import java.time.Instant;
import java.util.Objects;

/**
 * One time bucket of a counter's series.
 *
 * @param start the bucket's start (on Redis's clock when it was written), not {@code null}
 * @param count its count; 0 for a bucket never written or already expired
 */
public record CounterBucket(Instant start, long count) {

  /** @throws NullPointerException if {@code start} is {@code null} */
  public CounterBucket {
    Objects.requireNonNull(start, "start");
  }
}
