package dev.weft.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.internal.plan.KeyTemplate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The near tier of one {@code @Cached(near = true)} method: decoded hits kept in a bounded
 * Caffeine cache, trusted only while the change feed is live (see {@link CacheAside}, Near cache).
 *
 * <p>A value read from Redis is kept only if no change of its key arrived while it was being read:
 * each change bumps one of {@value #STRIPES} striped counters, and {@link #keep} compares the
 * stripe's count taken before the read ({@link #stamp}) with its count after, so a concurrent
 * write can never leave an older value behind. The local key of a call is the text of the key
 * template's one placeholder where there is one ({@link #localKey}): the literal rest is the same
 * for every call, so a near hit renders no key.
 *
 * <p>The tier holds at most the {@linkplain CacheRuntime#nearCacheSize() near cache size} of the
 * runtime whose feed it listens to ({@value #DEFAULT_SIZE} unless the runtime's builder says
 * otherwise), set again when another runtime's feed takes its place.
 */
final class NearTier {

  private static final int STRIPES = 1024;

  /** How many hits a tier keeps unless the runtime's builder says otherwise. */
  static final int DEFAULT_SIZE = dev.weft.Weft.DEFAULT_NEAR_CACHE_SIZE;

  private final KeyTemplate key;
  private final Cache<String, CacheAside.Call> local;
  private final boolean byPlaceholder;
  private final AtomicLongArray changes = new AtomicLongArray(STRIPES);
  private volatile ChangeFeed listeningTo;

  /**
   * @param key the method's key template
   * @param ttl how long a kept hit may live at most: the entry's time to live
   */
  NearTier(KeyTemplate key, Duration ttl) {
    this.key = key;
    this.local = Caffeine.newBuilder().maximumSize(DEFAULT_SIZE).expireAfterWrite(ttl).build();
    this.byPlaceholder = key.hasOnePlaceholder();
  }

  /**
   * Listens to the runtime's feed (which changes when another runtime is installed; a new feed
   * empties the tier, and bounds it by that runtime's near cache size) and says whether kept hits
   * may be served now.
   *
   * @param runtime the call's runtime
   * @return whether the feed is live
   */
  boolean trusted(CacheRuntime runtime) {
    ChangeFeed feed = runtime.feed();
    if (listeningTo != feed) {
      listenTo(feed, runtime.nearCacheSize());
    }
    return feed.live();
  }

  /** @return the most hits the tier keeps now */
  long maximumSize() {
    return local.policy().eviction().orElseThrow().getMaximum();
  }

  /** @return whether {@link #localKey} is the placeholder's text rather than the whole key */
  boolean keysByPlaceholder() {
    return byPlaceholder;
  }

  /**
   * The near tier's key for a call: the text of the key template's one placeholder when it has
   * one (the rest of the key is the same for every call, so the text alone names the entry, and a
   * {@code String} argument is its own text), else the rendered key.
   */
  String localKey(Object[] args) {
    return byPlaceholder ? key.placeholderText(args) : key.render(args);
  }

  /** @return the hit kept for {@code localKey}, or {@code null} */
  CacheAside.Call get(String localKey) {
    return local.getIfPresent(localKey);
  }

  /** @return the change count of {@code key}'s stripe, to pass to {@link #keep} after the read */
  long stamp(String key) {
    return changes.get(stripe(key));
  }

  /**
   * Keeps a value read from Redis, unless its key changed since {@code stamp}.
   *
   * @param localKey the call's local key
   * @param key the entry's key
   * @param value the decoded value
   * @param stamp what {@link #stamp} said before the read
   */
  void keep(String localKey, String key, Object value, long stamp) {
    if (changes.get(stripe(key)) == stamp) {
      local.put(localKey, CacheAside.Call.hit(value));
      if (changes.get(stripe(key)) != stamp) {
        local.invalidate(localKey);
      }
    }
  }

  /** @return the near cache's key for an entry's key, or {@code null} if no call renders it */
  private String localKeyOf(String entryKey) {
    return byPlaceholder ? key.placeholderTextOf(entryKey) : entryKey;
  }

  private static int stripe(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }

  private void listenTo(ChangeFeed feed, int maximumSize) {
    synchronized (this) {
      if (listeningTo != feed) {
        if (listeningTo != null) {
          listeningTo.unlisten(listener);
        }
        local.invalidateAll();
        local.policy().eviction().ifPresent(e -> e.setMaximum(maximumSize));
        feed.listen(listener);
        listeningTo = feed;
      }
    }
  }

  private final ChangeFeed.Listener listener =
      new ChangeFeed.Listener() {
        @Override
        public void changed(String key) {
          changes.incrementAndGet(stripe(key));
          String localKey = localKeyOf(key);
          if (localKey != null) {
            local.invalidate(localKey);
          }
        }

        @Override
        public void reset() {
          for (int i = 0; i < STRIPES; i++) {
            changes.incrementAndGet(i);
          }
          local.invalidateAll();
        }
      };
}
