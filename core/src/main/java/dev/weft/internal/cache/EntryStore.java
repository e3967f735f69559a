package dev.weft.internal.cache;

import dev.weft.internal.plan.KeyText;
import dev.weft.internal.redis.KeySpace;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.Script;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Redis side of caching: entries, their tags, load locks, and removal by key, tag or
 * namespace. Every method may throw {@link io.lettuce.core.RedisException}; callers decide the
 * failure policy.
 *
 * <h2>Layout</h2>
 *
 * Every method takes the user's keys, as the key template renders them, and finds their Redis
 * keys in the gateway's {@link KeySpace}: this class is the one place where a cache key becomes a
 * Redis key. With the prefix {@code p:} (none by default):
 *
 * <ul>
 *   <li>An entry is a string at {@code p:<key>}, JSON, always with a TTL. A key that starts with
 *       {@code weft:} is refused (it would name one of Weft's own keys).
 *   <li>A tag's index is the sorted set {@code p:weft:tag:<tag>} of entries' Redis keys scored by
 *       expiry (see {@code tag_add.lua}), so it holds no more than the tag's live entries.
 *   <li>A load lock is {@code p:weft:load:<key>}, held with a random token and a lease.
 *   <li>While a load runs, the entry's key holds the load's <em>lease marker</em>: {@code '~'}, a
 *       byte no JSON text starts with, then a token of that load. Readers take a marker for a miss
 *       (one byte compared). See "Invalidation wins" below.
 *   <li>Changes are announced on the space's channel, {@code p:weft:changes}, with the entry's
 *       Redis key.
 * </ul>
 *
 * <p>On a cluster an entry, its tag indexes and its lock usually live in different slots, so they
 * are written by separate single-key scripts, never one multi-key script (which would fail with
 * CROSSSLOT). The entry is written before its tags; an invalidation of a tag that runs between
 * the two leaves that one entry until its TTL. Removal by several keys uses UNLINK, which Lettuce
 * splits by slot on a cluster; a namespace is removed by SCAN with an escaped MATCH pattern (never
 * KEYS), node by node on a cluster, in batches.
 *
 * <h2>Invalidation wins</h2>
 *
 * A load reads the database, then stores what it read; an invalidation between the two would be
 * undone by the store, for a whole TTL. Weft uses the leases of memcache (Nishtala et al.,
 * "Scaling Memcache at Facebook", NSDI 2013, section 3.2.1), kept at the entry's own key because
 * on a cluster no script may touch both the entry and its load lock: before running the method,
 * the loader puts its lease marker at the key ({@code cache_lease.lua}, which hands back the value
 * instead when there is one) and adds the key to its tags' indexes, and it stores only if the key
 * still holds that marker ({@code cache_store.lua} with the marker as the expected content). An
 * invalidation removes whatever the key holds, value or marker ({@code keys_delete.lua}; a
 * namespace's SCAN sees markers too; a tag's removal finds the key in the index the loader joined);
 * a write-through replaces it unconditionally, being the newest value. Either way the load's store
 * is refused: its caller still gets the loaded value, and the next caller loads again. A
 * background refresh expects the stale value it replaces in the same way. A load that holds no
 * lease (Redis failed when it started) stores nothing. A failed load removes its marker if still
 * there ({@code cache_abandon.lua}); a crashed one leaves it until its TTL, read as a miss and
 * replaced by the next load. Plain DEL is all an invalidation needs: no tombstone outlives it.
 */
public final class EntryStore {

  /** The first byte of a lease marker: no JSON text starts with {@code '~'}. */
  static final byte MARKER = '~';

  private static final Script<String> STORE = Script.status("cache_store");
  private static final Script<byte[]> LEASE = Script.value("cache_lease");
  private static final Script<Long> ABANDON = Script.integer("cache_abandon");
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
    String entry = redis.keys().entry(key);
    return redis.executeCacheRead(c -> c.get(entry));
  }

  /**
   * @return the entry's JSON bytes as the master has them, or {@code null} when absent: for the
   *     reads that decide whether this caller loads (after taking the load lock, while waiting for
   *     another loader), where a lagging replica would cause a second load
   */
  static byte[] getFromMaster(RedisGateway redis, String key) {
    String entry = redis.keys().entry(key);
    return redis.execute(c -> c.get(entry));
  }

  /**
   * @param keys entries' user keys
   * @return the JSON bytes of those present, by user key (one MGET, which Lettuce splits by slot
   *     on a cluster)
   */
  static Map<String, byte[]> getAll(RedisGateway redis, Collection<String> keys) {
    KeySpace space = redis.keys();
    String[] stored = new String[keys.size()];
    int i = 0;
    for (String key : keys) {
      stored[i++] = space.entry(key);
    }
    List<KeyValue<String, byte[]>> values = redis.execute(c -> c.mget(stored));
    Map<String, byte[]> found = new HashMap<>();
    for (KeyValue<String, byte[]> kv : values) {
      if (kv.hasValue()) {
        found.put(kv.getKey().substring(space.prefix().length()), kv.getValue());
      }
    }
    return found;
  }

  /**
   * @return {@code null} when absent, else the value and its remaining lifetime in milliseconds
   */
  static Timed getWithTtl(RedisGateway redis, String key) {
    return redis.run(READ.keys(redis.keys().entry(key)));
  }

  /** A value with its remaining lifetime. */
  record Timed(byte[] value, long pttlMillis) {}

  /** Writes the entry, then adds it to each tag's index. */
  public static void put(RedisGateway redis, String key, byte[] value, long ttlMillis, List<String> tags) {
    putIf(redis, key, value, ttlMillis, tags, null);
  }

  /**
   * Writes the entry if the key still holds {@code expected}, then adds it to each tag's index.
   *
   * @param expected what the key must hold (a lease marker, or the value a refresh replaces);
   *     {@code null} to write unconditionally
   * @return whether the entry was written; {@code false} when an invalidation or a newer write
   *     came first
   */
  static boolean putIf(
      RedisGateway redis, String key, byte[] value, long ttlMillis, List<String> tags,
      byte[] expected) {
    KeySpace keys = redis.keys();
    String entry = keys.entry(key);
    Script.Call<String> store = STORE.keys(entry).arg(value).arg(ttlMillis).arg(keys.channel());
    if (expected != null) {
      store.arg(expected);
    }
    if (!"OK".equals(redis.run(store))) {
      return false;
    }
    addToTags(redis, key, tags, ttlMillis);
    return true;
  }

  /** Adds {@code key} to each tag's index, for {@code ttlMillis}. */
  static void addToTags(RedisGateway redis, String key, List<String> tags, long ttlMillis) {
    KeySpace keys = redis.keys();
    String entry = keys.entry(key);
    for (String tag : tags) {
      redis.run(TAG_ADD.keys(tagIndex(keys, tag)).arg(entry).arg(ttlMillis));
    }
  }

  /**
   * @param bytes what a read of an entry's key returned, may be {@code null}
   * @return whether it is an entry: present and not a load's lease marker
   */
  static boolean isEntry(byte[] bytes) {
    return bytes != null && (bytes.length == 0 || bytes[0] != MARKER);
  }

  /** @return a new lease marker, unique to one load */
  static byte[] newMarker() {
    return ("~" + java.util.UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Takes a load's lease on {@code key}, unless the key holds an entry.
   *
   * @param marker the load's marker, from {@link #newMarker()}
   * @param ttlMillis how long the marker lives, positive: at least as long as the load may run
   * @return the entry when the key holds one (the lease was not taken), else {@code null}
   */
  static byte[] lease(RedisGateway redis, String key, byte[] marker, long ttlMillis) {
    return redis.run(LEASE.keys(redis.keys().entry(key)).arg(marker).arg(ttlMillis));
  }

  /** {@link #lease} without waiting: for many keys at once. */
  static java.util.concurrent.CompletableFuture<byte[]> leaseAsync(
      RedisGateway redis, String key, byte[] marker, long ttlMillis) {
    return redis.runAsync(LEASE.keys(redis.keys().entry(key)).arg(marker).arg(ttlMillis));
  }

  /** Removes the load's marker from {@code key} if the key still holds it. */
  static void abandon(RedisGateway redis, String key, byte[] marker) {
    redis.run(ABANDON.keys(redis.keys().entry(key)).arg(marker));
  }

  /** @return whether the lock was taken */
  static boolean tryLock(RedisGateway redis, String key, String token, long leaseMillis) {
    String reply =
        redis.execute(
            c ->
                c.set(
                    loadLock(redis.keys(), key),
                    token.getBytes(StandardCharsets.UTF_8),
                    SetArgs.Builder.nx().px(leaseMillis)));
    return "OK".equals(reply);
  }

  /** Releases the lock if still ours and wakes everyone waiting for {@code key}. */
  static void unlock(RedisGateway redis, String key, String token) {
    KeySpace keys = redis.keys();
    redis.run(
        RELEASE.keys(loadLock(keys, key)).arg(token).arg(keys.channel()).arg(keys.entry(key)));
  }

  /**
   * Removes one entry (or a load's lease marker, refusing that load's store) and announces it.
   *
   * @return whether the key held something
   */
  public static boolean delete(RedisGateway redis, String key) {
    return deleteStored(redis, redis.keys().entry(key));
  }

  /** Removes the entry stored at the Redis key {@code entry} and announces it. */
  private static boolean deleteStored(RedisGateway redis, String entry) {
    Long removed = redis.run(DELETE.keys(entry).arg(redis.keys().channel()));
    return removed != null && removed > 0;
  }

  /**
   * @param key an entry's user key
   * @return the Redis key whose change {@code ChangeFeed} announces when the entry is written,
   *     removed or its load lock released: what a waiter for the entry waits on
   */
  static String announced(RedisGateway redis, String key) {
    return redis.keys().entry(key);
  }

  private static String tagIndex(KeySpace keys, String tag) {
    return keys.internal("tag:" + tag);
  }

  private static String loadLock(KeySpace keys, String key) {
    return keys.internal("load:" + key);
  }

  /**
   * Removes every entry in the tag's index, in batches, and the removed members from the index.
   *
   * @return how many entries were removed
   */
  public static long deleteTag(RedisGateway redis, String tag) {
    String index = tagIndex(redis.keys(), tag);
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
        deleteStored(redis, key);
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
   * The text is literal (glob characters are escaped in the SCAN pattern), only keys of the
   * gateway's key space are matched, and Weft's own keys ({@code weft:...}) are removed only by a
   * namespace that starts with {@code weft:} (which no rendered template produces; the
   * programmatic API may name one to reset Weft's state, as the sample application does). A
   * namespace too long to survive key bounding is matched on its head
   * ({@link KeyText#namespaceHead}).
   *
   * @return how many keys were removed
   */
  public static long deleteNamespace(RedisGateway redis, String namespace) {
    String head = KeyText.namespaceHead(namespace);
    KeySpace space = redis.keys();
    boolean own = namespace.startsWith(KeyText.RESERVED);
    long removed = 0;
    String prefix;
    if (head.length() < namespace.length() || namespace.endsWith(":")) {
      prefix = head;
    } else {
      String exact = space.prefix() + namespace;
      if (redis.execute(c -> c.exists(exact)) > 0) {
        deleteStored(redis, exact);
        removed++;
      }
      prefix = namespace + ":";
    }
    String stored = space.prefix() + prefix;
    ScanArgs match = ScanArgs.Builder.matches(escapeGlob(stored) + "*").limit(BATCH);
    KeyScanCursor<String> cursor = redis.execute(c -> c.scan(match));
    for (int pass = 0; pass < 1_000_000; pass++) {
      for (String key : cursor.getKeys()) {
        if (key.startsWith(stored) && (own || !space.isInternal(key))) {
          deleteStored(redis, key);
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
