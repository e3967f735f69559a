package dev.weft.aspectj.caching;

import dev.weft.annotation.Cached;
import dev.weft.annotation.Counted;
import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.LockContext;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.annotation.RateLimited;
import dev.weft.aspectj.Mode;
import dev.weft.aspectj.caching.Shop.Product;
import dev.weft.aspectj.counted.Pages;
import dev.weft.aspectj.ratelimit.Quotes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stale-while-revalidate methods whose bodies call other beans' woven methods, so that a
 * background refresh reaches them: a rate limit ({@link Quotes#quote}), a counter ({@link
 * Pages#view}), a write-through ({@link Shop#save}) and an invalidation ({@link Shop#remove}).
 * Each body numbers its run ({@code #n}, from {@link #loads}) and keeps what a nested call threw.
 */
public class Digests {

  /** The stale window of every method here. */
  public static final String WINDOW = "1m";

  final AtomicInteger loads = new AtomicInteger();
  final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
  final List<String> lockedRuns = new CopyOnWriteArrayList<>();
  final Quotes quotes;
  final Pages pages;
  final Shop shop;

  Digests(Quotes quotes, Pages pages, Shop shop) {
    this.quotes = quotes;
    this.pages = pages;
    this.shop = shop;
  }

  /** @return digests over beans for this JVM's {@link Mode} */
  public static Digests create() {
    Quotes quotes = Quotes.create();
    Pages pages = Pages.create();
    Shop shop = Shop.create();
    return Mode.programmatic()
        ? new ProgrammaticDigests(quotes, pages, shop)
        : Mode.fixture(new Digests(quotes, pages, shop));
  }

  private int run() {
    return loads.incrementAndGet();
  }

  private <T> T kept(java.util.function.Supplier<T> nested) {
    try {
      return nested.get();
    } catch (RuntimeException e) {
      failures.add(e);
      throw e;
    }
  }

  @Cached(key = "digest:quote:{user}", ttl = "10m", staleWhileRevalidate = WINDOW)
  public String quoted(String user) {
    int n = run();
    return kept(() -> quotes.quote(user)) + " #" + n;
  }

  @Cached(key = "digest:view:{page}", ttl = "10m", staleWhileRevalidate = WINDOW)
  @Counted(key = "digest-views:{page}")
  public String viewed(String page) {
    int n = run();
    return kept(() -> pages.view(page)) + " #" + n;
  }

  @Cached(key = "digest:save:{sku}", ttl = "10m", staleWhileRevalidate = WINDOW)
  public String saved(String sku) {
    int n = run();
    return kept(() -> shop.save(new Product(sku, "Pad #" + n, "refreshed", n))).name();
  }

  @Cached(key = "digest:remove:{sku}", ttl = "10m", staleWhileRevalidate = WINDOW)
  public String removed(String sku) {
    int n = run();
    kept(() -> {
      shop.remove(sku);
      return null;
    });
    return "removed " + sku + " #" + n;
  }

  /** Its own limit is generous and exact (a sliding log), so a test can count what it used. */
  @RateLimited(key = "digest-limit:{user}", permits = 100, window = "1h",
      algorithm = RateLimitAlgorithm.SLIDING_WINDOW_LOG)
  @Cached(key = "digest:limited:{user}", ttl = "10m", staleWhileRevalidate = WINDOW)
  public String limited(String user) {
    return "limited " + user + " #" + run();
  }

  /**
   * Locked itself (THROW, waitTime 0), so a stale hit holds the lock while it looks the entry up
   * and starts the refresh. Each run notes its thread and whether it held the lock.
   */
  @DistributedLock(key = "digest-lock:{id}")
  @Cached(key = "digest:locked:{id}", ttl = "10m", staleWhileRevalidate = WINDOW)
  public String locked(String id) {
    lockedRuns.add(Thread.currentThread().getName() + " held=" + LockContext.isHeld());
    return "locked " + id + " #" + run();
  }
}
