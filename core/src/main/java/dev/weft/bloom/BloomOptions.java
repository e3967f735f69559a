package dev.weft.bloom;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BloomFilter} is sized and how long it lives. Immutable.
 *
 * <pre>{@code
 * BloomOptions options = BloomOptions.of(1_000_000, 0.01).expireAfter(Duration.ofDays(1));
 * }</pre>
 *
 * <p>The filter has {@code m = ceil(-n ln p / (ln 2)^2)} bits and sets {@code k = round(m / n *
 * ln 2)} of them per item, the sizes that make the false-positive rate {@code p} once {@code n}
 * items are in (Bloom 1970; the optimum derived in Broder and Mitzenmacher, "Network
 * Applications of Bloom Filters: A Survey", 2004). More items than {@code n} raise the rate.
 *
 * @param expectedItems {@code n}: how many distinct items the filter is sized for, at least 1
 * @param falsePositiveRate {@code p}: the chance that {@link BloomFilter#mightContain} says yes for
 *     an item never added, once {@code n} items are in; above 0 and below 1
 * @param lifetime how long the filter's bitmap lives in Redis, counted from its first add (later
 *     adds do not extend it); {@link Duration#ZERO} for no expiry (the bitmap is then bounded by
 *     its {@code m / 8} bytes and lives until {@link BloomFilter#clear()})
 */
public record BloomOptions(long expectedItems, double falsePositiveRate, Duration lifetime) {

  /** The most bits a Redis bitmap can hold: a string of 512 MB. */
  public static final long MAX_BITS = 1L << 32;

  /**
   * @throws NullPointerException if {@code lifetime} is {@code null}
   * @throws IllegalArgumentException if a value is out of range, or the filter would need more
   *     than {@link #MAX_BITS} bits
   */
  public BloomOptions {
    Objects.requireNonNull(lifetime, "lifetime");
    if (expectedItems < 1) {
      throw new IllegalArgumentException(
          "expectedItems must be at least 1 (the number of distinct items the filter is sized"
              + " for), was " + expectedItems);
    }
    if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
      throw new IllegalArgumentException(
          "falsePositiveRate must be above 0 and below 1, such as 0.01 for 1%, was "
              + falsePositiveRate);
    }
    if (lifetime.isNegative() || (!lifetime.isZero() && lifetime.toMillis() < 1)) {
      throw new IllegalArgumentException(
          "lifetime must be at least 1 ms, or Duration.ZERO for none, was " + lifetime);
    }
    long bits = bits(expectedItems, falsePositiveRate);
    if (bits > MAX_BITS) {
      throw new IllegalArgumentException(
          expectedItems + " items at a false-positive rate of " + falsePositiveRate + " need "
              + bits + " bits, more than a Redis bitmap holds (" + MAX_BITS + "); split the items"
              + " over several filters or accept a higher rate");
    }
  }

  /**
   * @param expectedItems how many distinct items, at least 1
   * @param falsePositiveRate the false-positive rate at that many items, above 0 and below 1
   * @return options for a filter that never expires
   */
  public static BloomOptions of(long expectedItems, double falsePositiveRate) {
    return new BloomOptions(expectedItems, falsePositiveRate, Duration.ZERO);
  }

  /**
   * @param lifetime how long the bitmap lives from its first add, at least 1 ms; {@link
   *     Duration#ZERO} for no expiry
   * @return a copy with this lifetime
   */
  public BloomOptions expireAfter(Duration lifetime) {
    return new BloomOptions(expectedItems, falsePositiveRate, lifetime);
  }

  /** @return {@code m}, the filter's size in bits, at least 1 */
  public long bits() {
    return bits(expectedItems, falsePositiveRate);
  }

  /** @return {@code k}, how many bits each item sets, at least 1 */
  public int hashes() {
    return (int) Math.max(1, Math.round((double) bits() / expectedItems * Math.log(2)));
  }

  private static long bits(long n, double p) {
    double ln2 = Math.log(2);
    return Math.max(1, (long) Math.ceil(-n * Math.log(p) / (ln2 * ln2)));
  }
}
