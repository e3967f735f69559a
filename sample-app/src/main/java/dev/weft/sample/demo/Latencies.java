package dev.weft.sample.demo;

import java.util.Arrays;

/** Response times of one kind of request, in nanoseconds; written by one thread at a time. */
final class Latencies {

  private long[] nanos = new long[1024];
  private int size;

  void add(long value) {
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = value;
  }

  /**
   * @param parts latencies gathered by several clients
   * @return all of them together
   */
  static Latencies merge(Iterable<Latencies> parts) {
    Latencies all = new Latencies();
    for (Latencies part : parts) {
      for (int i = 0; i < part.size; i++) {
        all.add(part.nanos[i]);
      }
    }
    Arrays.sort(all.nanos, 0, all.size);
    return all;
  }

  /** @return how many were recorded */
  int count() {
    return size;
  }

  /**
   * @param quantile between 0 and 1, such as 0.99
   * @return the value at that quantile (nearest rank) in milliseconds, of a {@link #merge merged}
   *     (sorted) set; 0 if empty
   */
  double millisAt(double quantile) {
    if (size == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(quantile * size);
    return nanos[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
  }
}
