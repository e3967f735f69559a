package dev.weft.bloom;

import dev.weft.internal.OptionDurations;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BloomFilter} is sized and how long it lives. Immutable: start from {@link
 * #defaults()}; each setter returns a copy. Durations are taken as {@link Duration} or as the
 * annotations' text ({@code "1d"}).
 *
 * <pre>{@code
 * BloomOptions options =
 *     BloomOptions.defaults().expectedItems(1_000_000).falsePositiveRate(0.01).expireAfter("1d");
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

  /** {@link #expectedItems} of {@link #defaults()}. */
  public static final long DEFAULT_EXPECTED_ITEMS = 1_000_000;

  /** {@link #falsePositiveRate} of {@link #defaults()}. */
  public static final double DEFAULT_FALSE_POSITIVE_RATE = 0.01;

  private static final BloomOptions DEFAULTS =
      new BloomOptions(DEFAULT_EXPECTED_ITEMS, DEFAULT_FALSE_POSITIVE_RATE, Duration.ZERO);

  /**
   * @return a filter for 1,000,000 items at a 1% false-positive rate (about 1.2 MB), that never
   *     expires
   */
  public static BloomOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @param n how many distinct items the filter is sized for, at least 1
   * @return a copy sized for {@code n} items
   */
  public BloomOptions expectedItems(long n) {
    return new BloomOptions(n, falsePositiveRate, lifetime);
  }

  /**
   * @param p the false-positive rate once {@link #expectedItems} items are in, above 0 and below 1
   * @return a copy with this rate
   */
  public BloomOptions falsePositiveRate(double p) {
    return new BloomOptions(expectedItems, p, lifetime);
  }

  /**
   * @param lifetime how long the bitmap lives from its first add, at least 1 ms; {@link
   *     Duration#ZERO} for no expiry
   * @return a copy with this lifetime
   */
  public BloomOptions expireAfter(Duration lifetime) {
    return new BloomOptions(expectedItems, falsePositiveRate, lifetime);
  }

  /**
   * @param lifetime the same as duration text, e.g. {@code "30d"}
   * @return a copy with this lifetime
   */
  public BloomOptions expireAfter(String lifetime) {
    return expireAfter(OptionDurations.parse("BloomOptions.expireAfter", lifetime));
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
