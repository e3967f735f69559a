package dev.weft.bloom;

import dev.weft.Weft;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.redis.HashTags;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.Script;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * A Bloom filter in a Redis bitmap, shared by every process that uses the same Redis, name and
 * options: {@link #add} an item, later ask whether it {@link #mightContain} it. A "no" is certain;
 * a "yes" is wrong for at most about the configured share of items never added. Needs no Redis
 * module.
 *
 * <pre>{@code
 * BloomFilter seen = weft.bloomFilter("seen-emails",
 *     BloomOptions.defaults().expectedItems(1_000_000).falsePositiveRate(0.01).expireAfter("30d"));
 * if (!seen.mightContain(email)) {
 *   sendWelcome(email);          // certainly new
 * }
 * seen.add(email);
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * The filter is one string, {@code weft:bloom:{<name>}:<m>:<k>}, used as a bitmap of {@code m}
 * bits; the name is the hash tag (escaped as {@code HashTags} does), and {@code m} and {@code k}
 * are part of the key, so a filter re-created with other sizes starts empty instead of reading
 * bits laid out for other sizes. The client hashes each item (its UTF-8 bytes, or the bytes given)
 * once with MurmurHash3 x64 128 and derives the {@code k} positions from the two 64-bit halves,
 * {@code g_i = h1 + i * h2 mod m} (Kirsch and Mitzenmacher, "Less Hashing, Same Performance:
 * Building a Better Bloom Filter", 2006): two hashes give the rate of {@code k} independent ones.
 * All positions of a call go to Redis in one script, {@code bloom_add.lua} (SETBIT each) or
 * {@code bloom_check.lua} (GETBIT each, stopping at the first clear bit), so an item is never seen
 * half added. Calls with many items are sent in batches of {@value #BATCH} items, one script call
 * per batch, so no single call blocks Redis for long; each batch is atomic, the whole is not.
 *
 * <p>Lifetime: with {@link BloomOptions#lifetime()} set, the bitmap expires that long after its
 * first add; later adds do not extend it, and once it expired the filter starts empty. Without
 * it, the bitmap is bounded by its size ({@code m / 8} bytes) and lives until {@link #clear()}.
 *
 * <h2>Failures</h2>
 *
 * No policy of its own: while Redis is unavailable, {@link #add} and {@link #mightContain} throw
 * {@link dev.weft.exception.WeftUnavailableException}; they never answer "not contained" for a
 * filter they could not read.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class BloomFilter {

  /** The most items one script call carries. */
  static final int BATCH = 1_000;

  /** How many items changed a bit. */
  private static final Script<Long> ADD = Script.integer("bloom_add");
  /** Per item, in order, whether all its bits are set. */
  private static final Script<List<Boolean>> CHECK =
      Script.multi("bloom_check", reply -> reply.stream().map(Long.valueOf(1)::equals).toList());

  private final RedisGateway redis;
  private final String name;
  private final BloomOptions options;
  private final long bits;
  private final int hashes;
  private final String[] key;

  private BloomFilter(RedisGateway redis, String name, BloomOptions options) {
    this.redis = redis;
    this.name = name;
    this.options = options;
    this.bits = options.bits();
    this.hashes = options.hashes();
    this.key = new String[] {
        HashTags.tagged(redis.keys().internal("bloom:"), name) + ":" + bits + ":" + hashes};
  }

  static {
    PatternFactories.register(
        BloomFilter.class,
        (weft, name, options, c, d) -> of(weft, (String) name, (BloomOptions) options));
  }

  /**
   * A filter named {@code name} on the runtime's Redis. Filters with equal names and options are
   * the same filter, in every process.
   *
   * @param weft the runtime whose Redis holds the bitmap, not {@code null}
   * @param name the filter's name, not {@code null}, not empty; any characters
   * @param options its size and lifetime, not {@code null}
   * @return the filter, never {@code null}; nothing is sent to Redis yet
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code name} is empty
   */
  static BloomFilter of(Weft weft, String name, BloomOptions options) {
    Objects.requireNonNull(weft, "weft");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          "a Bloom filter's name must not be empty; name it after what it holds, such as"
              + " \"seen-emails\"");
    }
    return new BloomFilter(WeftAccess.redis(weft), name, options);
  }

  /**
   * Adds an item (its UTF-8 bytes).
   *
   * @param item the item, not {@code null}
   * @return {@code true} if the item was certainly not in the filter before (a bit changed), {@code
   *     false} if it might have been
   * @throws NullPointerException if {@code item} is {@code null}
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   *    (an error reply from Redis, a defect, is Lettuce's exception)
   */
  public boolean add(String item) {
    return add(utf8(item));
  }

  /**
   * Adds an item given as bytes.
   *
   * @param item the item's bytes, not {@code null}
   * @return as {@link #add(String)}
   * @throws NullPointerException if {@code item} is {@code null}
   * @throws dev.weft.exception.WeftUnavailableException as {@link #add(String)}
   */
  public boolean add(byte[] item) {
    Objects.requireNonNull(item, "item");
    return addBatch(List.of(item)) == 1;
  }

  /**
   * Adds every item (their UTF-8 bytes), in one script call per {@value #BATCH} items.
   *
   * @param items the items, not {@code null}, none {@code null}; may be empty
   * @return how many of them were certainly not in the filter before (each changed a bit when it
   *     was added)
   * @throws NullPointerException if {@code items} or one of them is {@code null}
   * @throws dev.weft.exception.WeftUnavailableException as {@link #add(String)}; batches sent
   *     before the failure stay added
   */
  public long addAll(Collection<String> items) {
    List<byte[]> encoded = encodeAll(items);
    long added = 0;
    for (int from = 0; from < encoded.size(); from += BATCH) {
      added += addBatch(encoded.subList(from, Math.min(encoded.size(), from + BATCH)));
    }
    return added;
  }

  /**
   * Whether the item (its UTF-8 bytes) might have been added.
   *
   * @param item the item, not {@code null}
   * @return {@code false} if it was certainly never added (during the filter's lifetime), {@code
   *     true} if it probably was
   * @throws NullPointerException if {@code item} is {@code null}
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   *    (an error reply from Redis, a defect, is Lettuce's exception); never an answer of {@code false} for a filter that could not be read
   */
  public boolean mightContain(String item) {
    return mightContain(utf8(item));
  }

  /**
   * Whether the item given as bytes might have been added.
   *
   * @param item the item's bytes, not {@code null}
   * @return as {@link #mightContain(String)}
   * @throws NullPointerException if {@code item} is {@code null}
   * @throws dev.weft.exception.WeftUnavailableException as {@link #mightContain(String)}
   */
  public boolean mightContain(byte[] item) {
    Objects.requireNonNull(item, "item");
    return checkBatch(List.of(item)).get(0);
  }

  /**
   * Asks about every item, in one script call per {@value #BATCH} items.
   *
   * @param items the items, not {@code null}, none {@code null}; may be empty
   * @return one answer per item, in the items' order, as {@link #mightContain(String)}; never
   *     {@code null}, unmodifiable
   * @throws NullPointerException if {@code items} or one of them is {@code null}
   * @throws dev.weft.exception.WeftUnavailableException as {@link #mightContain(String)}
   */
  public List<Boolean> mightContainAll(Collection<String> items) {
    List<byte[]> encoded = encodeAll(items);
    List<Boolean> answers = new ArrayList<>(encoded.size());
    for (int from = 0; from < encoded.size(); from += BATCH) {
      answers.addAll(checkBatch(encoded.subList(from, Math.min(encoded.size(), from + BATCH))));
    }
    return List.copyOf(answers);
  }

  /**
   * Empties the filter: deletes its bitmap.
   *
   * @return whether there was a bitmap to delete
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public boolean clear() {
    return redis.execute(c -> c.del(key[0])) > 0;
  }

  /** @return the filter's name, never {@code null} */
  public String name() {
    return name;
  }

  /** @return its options, never {@code null} */
  public BloomOptions options() {
    return options;
  }

  /** @return {@code m}, the size in bits */
  public long bits() {
    return bits;
  }

  /** @return {@code k}, the bits set per item */
  public int hashes() {
    return hashes;
  }

  @Override
  public String toString() {
    return "BloomFilter[" + name + ", m=" + bits + ", k=" + hashes + "]";
  }

  /** @return the {@code k} bit positions of {@code item}, each in {@code [0, m)} */
  long[] positions(byte[] item) {
    long[] h = MurmurHash3.hash128x64(item);
    long[] positions = new long[hashes];
    long combined = h[0];
    for (int i = 0; i < hashes; i++) {
      positions[i] = Long.remainderUnsigned(combined, bits);
      combined += h[1];
    }
    return positions;
  }

  private long addBatch(List<byte[]> items) {
    return redis.run(positions(ADD.keys(key).arg(hashes).arg(options.lifetime()), items));
  }

  private List<Boolean> checkBatch(List<byte[]> items) {
    List<Boolean> answers = redis.run(positions(CHECK.keys(key).arg(hashes), items));
    if (answers.size() != items.size()) {
      throw new IllegalStateException(
          "bloom_check.lua answered " + answers.size() + " answers for " + items.size() + " items");
    }
    return answers;
  }

  /** @return {@code call} with each item's bit positions added, item by item */
  private <R> Script.Call<R> positions(Script.Call<R> call, List<byte[]> items) {
    for (byte[] item : items) {
      for (long position : positions(item)) {
        call.arg(position);
      }
    }
    return call;
  }

  private static List<byte[]> encodeAll(Collection<String> items) {
    Objects.requireNonNull(items, "items");
    List<byte[]> encoded = new ArrayList<>(items.size());
    for (String item : items) {
      encoded.add(utf8(Objects.requireNonNull(item, "items contains null")));
    }
    return encoded;
  }

  private static byte[] utf8(String item) {
    return Objects.requireNonNull(item, "item").getBytes(StandardCharsets.UTF_8);
  }
}
