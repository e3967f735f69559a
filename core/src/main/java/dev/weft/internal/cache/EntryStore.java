package dev.weft.internal.cache;

import dev.weft.internal.plan.KeyText;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.Script;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Redis side of caching: entries, their tags, load locks, and removal by key, tag or
 * namespace. Every method may throw {@link io.lettuce.core.RedisException}; callers decide the
 * failure policy.
 *
 * <h2>Layout</h2>
 *
 * <ul>
 *   <li>An entry is a string at exactly the key its template renders, JSON, always with a TTL.
 *   <li>A tag's index is the sorted set {@code weft:tag:<tag>} of entry keys scored by expiry
 *       (see {@code tag_add.lua}), so it holds no more than the tag's live entries.
 *   <li>A load lock is {@code weft:load:<key>}, held with a random token and a lease.
 * </ul>
 *
 * <p>On a cluster an entry, its tag indexes and its lock usually live in different slots, so they
 * are written by separate single-key scripts, never one multi-key script (which would fail with
 * CROSSSLOT). The entry is written before its tags; an invalidation of a tag that runs between
 * the two leaves that one entry until its TTL. Removal by several keys uses UNLINK, which Lettuce
 * splits by slot on a cluster; a namespace is removed by SCAN with an escaped MATCH pattern (never
 * KEYS), node by node on a cluster, in batches.
 */
public final class EntryStore {

  static final String TAG_PREFIX = "weft:tag:";
  static final String LOCK_PREFIX = "weft:load:";

  private static final Script<String> STORE = Script.status("cache_store");
  private static final Script<Timed> READ =
      Script.multi(
          "cache_read",
          reply -> reply.isEmpty() ? null : new Timed((byte[]) reply.get(0), (Long) reply.get(1)));
  private static final Script<Long> RELEASE = Script.integer("load_release");
  private static final Script<Long> TAG_ADD = Script.integer("tag_add");
  private static final Script<Long> DELETE = Script.integer("keys_delete");
  private static final int BATCH = 500;

  private EntryStore() {}

  /**
   * Does nothing but initialize this class, its scripts read and hashed, on the thread that
   * builds the runtime. Otherwise the first cache calls, which may arrive together, would all wait
   * for one of them to do it, and a virtual thread that waits for a class's initialization is
   * pinned to its carrier.
   */
  static void initialize() {}

  /**
   * @return the entry's JSON bytes, or {@code null} when absent; read from a replica when the
   *     runtime reads cache entries from replicas
   */
  public static byte[] get(RedisGateway redis, String key) {
    return redis.executeCacheRead(c -> c.get(key));
  }

  /**
   * @return the entry's JSON bytes as the master has them, or {@code null} when absent: for the
   *     reads that decide whether this caller loads (after taking the load lock, while waiting for
   *     another loader), where a lagging replica would cause a second load
   */
  static byte[] getFromMaster(RedisGateway redis, String key) {
    return redis.execute(c -> c.get(key));
  }

  /**
   * @return {@code null} when absent, else the value and its remaining lifetime in milliseconds
   */
  static Timed getWithTtl(RedisGateway redis, String key) {
    return redis.run(READ.keys(key));
  }

  /** A value with its remaining lifetime. */
  record Timed(byte[] value, long pttlMillis) {}

  /** Writes the entry, then adds it to each tag's index. */
  public static void put(RedisGateway redis, String key, byte[] value, long ttlMillis, List<String> tags) {
    redis.run(STORE.keys(key).arg(value).arg(ttlMillis).arg(ChangeFeed.CHANNEL));
    for (String tag : tags) {
      redis.run(TAG_ADD.keys(TAG_PREFIX + tag).arg(key).arg(ttlMillis));
    }
  }

  /** @return whether the lock was taken */
  static boolean tryLock(RedisGateway redis, String key, String token, long leaseMillis) {
    String reply =
        redis.execute(
            c ->
                c.set(
                    LOCK_PREFIX + key,
                    token.getBytes(StandardCharsets.UTF_8),
                    SetArgs.Builder.nx().px(leaseMillis)));
    return "OK".equals(reply);
  }

  /** Releases the lock if still ours and wakes everyone waiting for {@code key}. */
  static void unlock(RedisGateway redis, String key, String token) {
    redis.run(RELEASE.keys(LOCK_PREFIX + key).arg(token).arg(ChangeFeed.CHANNEL).arg(key));
  }

  /** Removes one entry and announces it. */
  public static void delete(RedisGateway redis, String key) {
    redis.run(DELETE.keys(key).arg(ChangeFeed.CHANNEL));
  }

  /**
   * Removes every entry in the tag's index, in batches, and the removed members from the index.
   *
   * @return how many entries were removed
   */
  public static long deleteTag(RedisGateway redis, String tag) {
    String index = TAG_PREFIX + tag;
    long removed = 0;
    // Bounded: each pass removes what it read from the index; writers adding during the loop
    // can extend it by at most what they add.
    for (int pass = 0; pass < 100_000; pass++) {
      List<byte[]> members = redis.execute(c -> c.zrange(index, 0, BATCH - 1));
      if (members.isEmpty()) {
        break;
      }
      String[] keys = new String[members.size()];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = new String(members.get(i), StandardCharsets.UTF_8);
      }
      for (String key : keys) {
        delete(redis, key);
      }
      removed += keys.length;
      byte[][] asValues = members.toArray(new byte[0][]);
      redis.execute(c -> c.zrem(index, asValues));
    }
    return removed;
  }

  /**
   * Removes the namespace {@code namespace}: the key equal to it and the keys that continue it
   * after a {@code :}, so {@code user:1} removes {@code user:1} and {@code user:1:orders} but not
   * {@code user:17}; a namespace that ends with {@code :} removes every key that starts with it.
   * The text is literal (glob characters are escaped in the SCAN pattern), and Weft's own keys
   * ({@code weft:...}) are removed only by a namespace that starts with {@code weft:} (which no
   * rendered template produces; the programmatic API may name one to reset Weft's state, as the
   * sample application does). A namespace too long to survive key bounding is matched
   * on its head ({@link KeyText#namespaceHead}).
   *
   * @return how many keys were removed
   */
  public static long deleteNamespace(RedisGateway redis, String namespace) {
    String head = KeyText.namespaceHead(namespace);
    boolean own = namespace.startsWith(KeyText.RESERVED);
    long removed = 0;
    String prefix;
    if (head.length() < namespace.length() || namespace.endsWith(":")) {
      prefix = head;
    } else {
      if (redis.execute(c -> c.exists(namespace)) > 0) {
        delete(redis, namespace);
        removed++;
      }
      prefix = namespace + ":";
    }
    ScanArgs match = ScanArgs.Builder.matches(escapeGlob(prefix) + "*").limit(BATCH);
    KeyScanCursor<String> cursor = redis.execute(c -> c.scan(match));
    for (int pass = 0; pass < 1_000_000; pass++) {
      for (String key : cursor.getKeys()) {
        if (key.startsWith(prefix) && (own || !key.startsWith(KeyText.RESERVED))) {
          delete(redis, key);
          removed++;
        }
      }
      if (cursor.isFinished()) {
        break;
      }
      ScanCursor next = cursor;
      cursor = redis.execute(c -> c.scan(next, match));
    }
    return removed;
  }

  /**
   * @param text literal text
   * @return a SCAN MATCH pattern that matches exactly {@code text}
   */
  static String escapeGlob(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  /**
   * @param ttl the entry's lifetime, positive
   * @param jitter the largest random extra, zero for none
   * @return the lifetime to write, in milliseconds: {@code ttl} plus a random share of
   *     {@code jitter}, so entries written together do not expire together
   */
  public static long ttlMillis(Duration ttl, Duration jitter) {
    long millis = ttl.toMillis();
    return jitter.isZero() ? millis : millis + ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1);
  }
}
