package dev.weft.internal.cache;

import dev.weft.internal.redis.RedisGateway;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What caching shares within one Weft runtime: the Redis gateway, the change feed, and the small
 * pool that refreshes stale entries in the background.
 *
 * <p>Removals that failed are retried by {@link Retries}, whose passes run on the refresh pool.
 *
 * <p>The refresh pool is bounded (2 threads, 1,000 queued refreshes); a refresh that does not fit
 * is dropped, which is safe: its load lock expires and a later caller refreshes instead.
 */
public final class CacheRuntime implements AutoCloseable {

  private final RedisGateway redis;
  private final ChangeFeed feed;
  private final ExecutorService refreshes;
  private final Retries retries;
  private final int nearCacheSize;

  /**
   * @param redis the runtime's gateway; the change feed's connection comes from its factory, its
   *     channel from the gateway's key space
   * @param url the runtime's Redis URL, for the change feed's own connection
   * @param timeout the command timeout
   */
  public CacheRuntime(RedisGateway redis, String url, Duration timeout) {
    this(redis, url, timeout, NearTier.DEFAULT_SIZE);
  }

  /**
   * As {@link #CacheRuntime(RedisGateway, String, Duration)}, with another bound on each near
   * cache.
   *
   * @param nearCacheSize how many values each near-cached method or cache keeps locally, at most;
   *     positive
   */
  public CacheRuntime(RedisGateway redis, String url, Duration timeout, int nearCacheSize) {
    if (nearCacheSize <= 0) {
      throw new IllegalArgumentException("nearCacheSize must be positive, was " + nearCacheSize);
    }
    this.nearCacheSize = nearCacheSize;
    this.redis = redis;
    EntryStore.initialize();
    this.feed = new ChangeFeed(redis.connections(), redis.keys(), url, timeout);
    AtomicInteger n = new AtomicInteger();
    this.refreshes =
        new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1_000),
            r -> {
              Thread t = new Thread(r, "weft-refresh-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.DiscardPolicy());
    ((ThreadPoolExecutor) refreshes).allowCoreThreadTimeOut(true);
    this.retries = new Retries(redis, refreshes);
  }

  /** @return the removals waiting to be retried */
  Retries retries() {
    return retries;
  }

  /** @return the gateway to Redis */
  public RedisGateway redis() {
    return redis;
  }

  /** @return how many values each near cache of this runtime keeps, at most */
  public int nearCacheSize() {
    return nearCacheSize;
  }

  /** @return the change feed */
  public ChangeFeed feed() {
    return feed;
  }

  /** @param refresh a background refresh; dropped when the pool is saturated */
  void refreshInBackground(Runnable refresh) {
    refreshes.execute(refresh);
  }

  @Override
  public void close() {
    retries.close();
    refreshes.shutdownNow();
    feed.close();
  }
}
