package dev.weft.aspectj.caching;

import dev.weft.annotation.Cached;
import dev.weft.annotation.CachedBulk;
import dev.weft.annotation.Invalidate;
import dev.weft.annotation.WriteThrough;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A small catalogue woven by ajc, exercising every caching annotation. */
public class Shop {

  /** A product; immutable, so it may live in a near cache. */
  public record Product(String sku, String name, String category, long cents) {}

  final ConcurrentHashMap<String, Product> table = new ConcurrentHashMap<>();
  final AtomicInteger loads = new AtomicInteger();

  /** @return a shop for this JVM's {@link dev.weft.aspectj.Mode} */
  public static Shop create() {
    return dev.weft.aspectj.Mode.programmatic()
        ? new ProgrammaticShop()
        : dev.weft.aspectj.Mode.fixture(new Shop());
  }

  public Shop() {
    put(new Product("kb", "Keyboard", "peripherals", 8900));
    put(new Product("ms", "Mouse", "peripherals", 2900));
    put(new Product("mn", "Monitor", "displays", 25900));
  }

  private void put(Product p) {
    table.put(p.sku(), p);
  }

  @Cached(key = "product:{sku}", ttl = "10m", tags = {"category:{category}", "all-products"})
  public Product product(String sku, String category) {
    loads.incrementAndGet();
    return table.get(sku);
  }

  @WriteThrough(key = "product:{result.sku}", ttl = "10m", tags = "category:{result.category}")
  public Product save(Product product) {
    put(product);
    return product;
  }

  @Invalidate(keys = "product:{sku}")
  public void remove(String sku) {
    table.remove(sku);
  }

  @Invalidate(tags = "category:{category}")
  public void repriceCategory(String category) {}

  @Invalidate(namespace = "product:")
  public void wipe() {}

  @Invalidate(keys = "raw:{key}")
  public void forget(String key) {}

  @Cached(key = "raw:{key}", ttl = "10m")
  public String raw(String key) {
    loads.incrementAndGet();
    return "value of " + key;
  }

  final List<List<String>> bulkRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

  @CachedBulk(key = "product:{skus}", ttl = "10m")
  public Map<String, Product> products(List<String> skus) {
    bulkRequests.add(List.copyOf(skus));
    Map<String, Product> found = new LinkedHashMap<>();
    for (String sku : skus) {
      if (table.containsKey(sku)) {
        found.put(sku, table.get(sku));
      }
    }
    return found;
  }

  @CachedBulk(key = "set:{region}:{skus}", ttl = "10m")
  public Map<String, Product> productsIn(String region, Set<String> skus) {
    bulkRequests.add(List.copyOf(skus));
    Map<String, Product> found = new LinkedHashMap<>();
    for (String sku : skus) {
      found.put(sku, table.get(sku));
    }
    return found;
  }

  /** An id wrapper, to show paths below the bulk element. */
  public record Sku(String value) {}

  @CachedBulk(key = "wrapped:{skus.value}", ttl = "10m")
  public Map<Sku, Product> wrapped(List<String> fields, List<Sku> skus) {
    Map<Sku, Product> found = new LinkedHashMap<>();
    for (Sku sku : skus) {
      found.put(sku, table.get(sku.value()));
    }
    return found;
  }

  @Cached(key = "opt:{sku}", ttl = "10m")
  public Optional<Product> find(String sku) {
    loads.incrementAndGet();
    return Optional.ofNullable(table.get(sku));
  }

  @Cached(key = "nonull:{sku}", ttl = "10m", cacheNulls = false)
  public Product findOrNull(String sku) {
    loads.incrementAndGet();
    return table.get(sku);
  }

  @Cached(key = "async:{sku}", ttl = "10m")
  public CompletableFuture<Product> async(String sku) {
    loads.incrementAndGet();
    return CompletableFuture.supplyAsync(() -> table.get(sku));
  }

  @Cached(key = "async-fail:{sku}", ttl = "10m")
  public CompletableFuture<Product> asyncFailing(String sku) {
    loads.incrementAndGet();
    return CompletableFuture.failedFuture(new IllegalStateException("source down"));
  }

  @Cached(key = "jitter:{n}", ttl = "10s", jitter = "5s")
  public int jittered(int n) {
    return n;
  }

  @Cached(key = "configured:{n}", ttl = "${weft.test.ttl:42s}")
  public int configured(int n) {
    return n;
  }

  final List<String> earlyLoadThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Cached(key = "early:{sku}", ttl = "1s", earlyRefresh = true)
  public Product early(String sku) throws InterruptedException {
    // the thread first: a test that sees the count may read the thread list at once
    earlyLoadThreads.add(Thread.currentThread().getName());
    loads.incrementAndGet();
    Thread.sleep(150); // a slow source: XFetch weighs how long a load takes
    return table.get(sku);
  }

  @Cached(key = "near:{sku}", ttl = "10m", near = true)
  public Product nearProduct(String sku) {
    loads.incrementAndGet();
    return table.get(sku);
  }

  @Cached(key = "leased:{sku}", ttl = "10m", loadTimeout = "1s")
  public Product leased(String sku) {
    loads.incrementAndGet();
    return table.get(sku);
  }

  /** Jackson cannot write this: its getter throws. */
  public static class Unwritable {
    public String getValue() {
      throw new IllegalStateException("not today");
    }
  }

  @Cached(key = "unwritable:{id}", ttl = "10m")
  public Unwritable unwritable(String id) {
    return new Unwritable();
  }

  /**
   * The latches of {@link #slowProduct}, in an object of their own so that a test that sets them
   * on a proxy of this shop sets them for the shop ({@link dev.weft.aspectj.Mode#fixture}).
   */
  static final class Slow {
    /** Counted down by {@link #slowProduct} once it has read the table. */
    volatile java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(0);
    /** What {@link #slowProduct} waits for, after reading, before it returns. */
    volatile java.util.concurrent.CountDownLatch release =
        new java.util.concurrent.CountDownLatch(0);
  }

  final Slow slow = new Slow();

  /** A slow load: reads the table, then waits for {@link Slow#release}. */
  @Cached(key = "slow:{sku}", ttl = "10m", tags = "slow")
  public Product slowProduct(String sku) throws InterruptedException {
    loads.incrementAndGet();
    Product read = table.get(sku);
    slow.read.countDown();
    if (!slow.release.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException("never released");
    }
    return read;
  }

  /** Changes the table, then removes the slow load's entry. */
  @Invalidate(keys = "slow:{product.sku}")
  public void reprice(Product product) {
    put(product);
  }

  /** Changes the table, then removes every slow load's entry by their tag. */
  @Invalidate(tags = "slow")
  public void repriceAll(Product product) {
    put(product);
  }

  @Cached(key = "swr:{sku}", ttl = "300ms", staleWhileRevalidate = "1m")
  public Product stale(String sku) {
    loads.incrementAndGet();
    return table.get(sku);
  }
}
