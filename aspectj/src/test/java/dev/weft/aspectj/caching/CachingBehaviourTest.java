package dev.weft.aspectj.caching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.aspectj.Mode;
import dev.weft.aspectj.WovenRedisTest;
import dev.weft.aspectj.caching.Shop.Product;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Caching behaviour under compile-time weaving, read back with a plain Lettuce client. */
class CachingBehaviourTest extends WovenRedisTest {


  private Shop shop;

  @BeforeEach
  void newShop() {
    shop = Shop.create();
  }

  @Test
  void invalidateTag_removesExactlyThatTagsEntries() {
    shop.product("kb", "peripherals");
    shop.product("ms", "peripherals");
    shop.product("mn", "displays");
    assertThat(redis.zcard("weft:tag:category:peripherals")).isEqualTo(2);

    shop.repriceCategory("peripherals");

    assertThat(redis.exists("product:kb", "product:ms")).isZero();
    assertThat(redis.exists("product:mn")).isEqualTo(1);
    assertThat(redis.exists("weft:tag:category:peripherals")).isZero();
    // Other tags' indexes may still name removed entries until those expire; harmless.
    assertThat(redis.zrange("weft:tag:all-products", 0, -1)).contains("product:mn");
    shop.product("kb", "peripherals");
    assertThat(shop.loads).hasValue(4);
  }

  @Test
  void tagIndex_hasTtl_andIsPrunedOfExpiredEntries() {
    shop.product("kb", "peripherals");
    assertThat(redis.pttl("weft:tag:category:peripherals")).isBetween(1L, 600_000L);
    // An expired member (score in the past) is dropped by the next write to the index.
    redis.zadd("weft:tag:category:peripherals", 1, "product:long-gone");
    shop.product("ms", "peripherals");
    assertThat(redis.zrange("weft:tag:category:peripherals", 0, -1))
        .containsExactlyInAnyOrder("product:kb", "product:ms");
  }

  @Test
  void writeThrough_replacesTheEntry_readersSeeItWithoutLoading() {
    shop.product("kb", "peripherals");
    shop.save(new Product("kb", "Keyboard v2", "peripherals", 9900));

    assertThat(shop.product("kb", "peripherals").name()).isEqualTo("Keyboard v2");
    assertThat(shop.loads).hasValue(1);
    assertThat(redis.pttl("product:kb")).isBetween(590_000L, 600_000L);
    assertThat(redis.zrange("weft:tag:category:peripherals", 0, -1)).contains("product:kb");
  }

  /**
   * A load that read the database before an invalidation must not store what it read after it:
   * the slow caller gets the value it read, and the next caller loads the new one.
   */
  @Test
  void invalidate_duringASlowLoad_theLoadsOldValueIsNotCached() throws Exception {
    shop.slow.read = new java.util.concurrent.CountDownLatch(1);
    shop.slow.release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CompletableFuture<Product> slow =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return shop.slowProduct("kb");
              } catch (InterruptedException e) {
                throw new CompletionException(e);
              }
            });
    assertThat(shop.slow.read.await(10, TimeUnit.SECONDS)).as("the load read the table").isTrue();

    shop.reprice(new Product("kb", "Keyboard", "peripherals", 9900));
    shop.slow.release.countDown();

    assertThat(slow.get(10, TimeUnit.SECONDS).cents()).as("the slow caller's value").isEqualTo(8900);
    assertThat(shop.slowProduct("kb").cents()).as("read after the invalidation").isEqualTo(9900);
    assertThat(shop.loads).hasValue(2);
    assertThat(shop.slowProduct("kb").cents()).isEqualTo(9900);
    assertThat(shop.loads).as("the new value is cached").hasValue(2);
  }

  /** As above, the entry removed by its tag while it is being loaded. */
  @Test
  void invalidateTag_duringASlowLoad_theLoadsOldValueIsNotCached() throws Exception {
    shop.slow.read = new java.util.concurrent.CountDownLatch(1);
    shop.slow.release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CompletableFuture<Product> slow =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return shop.slowProduct("ms");
              } catch (InterruptedException e) {
                throw new CompletionException(e);
              }
            });
    assertThat(shop.slow.read.await(10, TimeUnit.SECONDS)).as("the load read the table").isTrue();

    shop.repriceAll(new Product("ms", "Mouse", "peripherals", 3900));
    shop.slow.release.countDown();

    assertThat(slow.get(10, TimeUnit.SECONDS).cents()).as("the slow caller's value").isEqualTo(2900);
    assertThat(shop.slowProduct("ms").cents()).as("read after the invalidation").isEqualTo(3900);
    assertThat(shop.loads).hasValue(2);
  }

  @Test
  void invalidateKey_afterReturn_nextReadLoads() {
    shop.product("kb", "peripherals");
    shop.remove("kb");

    assertThat(redis.exists("product:kb")).isZero();
    assertThat(shop.product("kb", "peripherals")).isNull();
    assertThat(shop.loads).hasValue(2);
  }

  @Test
  void namespace_removesOnlyKeysUnderIt_withScan() {
    shop.product("kb", "peripherals");
    shop.product("mn", "displays");
    shop.raw("product-list");
    resetStats();

    shop.wipe();

    assertThat(redis.exists("product:kb", "product:mn")).isZero();
    assertThat(redis.exists("raw:product-list")).isEqualTo(1);
    assertThat(calls("scan")).isPositive();
    assertThat(calls("keys")).isZero();
  }

  @Test
  void globCharactersInValues_neverWidenADelete() {
    String[] odd = {"*", "a*", "x[ab]", "\\", "?"};
    String[] siblings = {"a", "ab", "xa", "xb", "plain"};
    for (String k : odd) {
      shop.raw(k);
    }
    for (String k : siblings) {
      shop.raw(k);
    }
    resetStats();

    for (String k : odd) {
      shop.forget(k);
    }

    for (String k : odd) {
      assertThat(redis.exists("raw:" + k)).as("raw:%s removed", k).isZero();
    }
    for (String k : siblings) {
      assertThat(redis.exists("raw:" + k)).as("raw:%s survives", k).isEqualTo(1);
    }
    assertThat(calls("keys")).isZero();
  }

  @Test
  void optional_emptyIsCachedAsEmpty() {
    assertThat(shop.find("none")).isEmpty();
    assertThat(shop.find("none")).isEmpty();
    assertThat(shop.find("kb")).map(Product::name).contains("Keyboard");
    assertThat(shop.find("kb")).isInstanceOf(Optional.class).map(Product::name).contains("Keyboard");
    assertThat(shop.loads).hasValue(2);
  }

  @Test
  void cacheNullsFalse_doesNotStoreNull() {
    assertThat(shop.findOrNull("none")).isNull();
    assertThat(shop.findOrNull("none")).isNull();
    assertThat(shop.loads).hasValue(2);
    assertThat(redis.exists("nonull:none")).isZero();
  }

  @Test
  void future_cachesTheCompletedValue_notTheFuture() throws Exception {
    Product first = shop.async("kb").get(5, TimeUnit.SECONDS);
    assertThat(waitForKey("async:kb")).isTrue();
    Product second = shop.async("kb").get(5, TimeUnit.SECONDS);

    assertThat(second).isEqualTo(first);
    assertThat(shop.loads).hasValue(1);
    assertThat(redis.get("async:kb")).startsWith("{\"sku\":\"kb\"");
  }

  @Test
  void failedFuture_cachesNothing() {
    assertThatThrownBy(() -> shop.asyncFailing("kb").join()).isInstanceOf(CompletionException.class);
    assertThatThrownBy(() -> shop.asyncFailing("kb").join()).isInstanceOf(CompletionException.class);
    assertThat(shop.loads).hasValue(2);
    assertThat(redis.exists("async-fail:kb", "weft:load:async-fail:kb")).isZero();
  }

  @Test
  void jitter_spreadsTtlWithinTheBound() {
    for (int i = 0; i < 30; i++) {
      shop.jittered(i);
    }
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 30; i++) {
      long pttl = redis.pttl("jitter:" + i);
      assertThat(pttl).isBetween(9_000L, 15_000L);
      min = Math.min(min, pttl);
      max = Math.max(max, pttl);
    }
    assertThat(max - min).as("30 entries do not all expire together").isGreaterThan(500L);
  }

  @Test
  void ttlFromProperty_default() {
    shop.configured(1);
    assertThat(redis.pttl("configured:1")).isBetween(41_000L, 42_000L);
  }

  @Test
  void staleWhileRevalidate_servesStale_whileOneCallerRefreshes() throws Exception {
    shop.stale("kb");
    shop.table.put("kb", new Product("kb", "Keyboard v3", "peripherals", 1));
    // Wait (bounded) until the entry's fresh part (300 ms) has passed.
    long fresh = redis.pttl("swr:kb") - Duration.ofMinutes(1).toMillis();
    assertThat(fresh).isLessThanOrEqualTo(300L);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (redis.pttl("swr:kb") > Duration.ofMinutes(1).toMillis() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }

    Product served = shop.stale("kb");

    assertThat(served.name()).as("the stale value is served at once").isEqualTo("Keyboard");
    assertThat(waitUntil(() -> redis.get("swr:kb").contains("Keyboard v3"))).isTrue();
    assertThat(shop.loads).hasValue(2);
    assertThat(shop.stale("kb").name()).isEqualTo("Keyboard v3");
  }

  @Test
  void plantedPolymorphicPayload_isNeverInstantiated() {
    redis.set(
        "product:kb",
        "[\"java.net.URL\",\"http://example.invalid/\"]");
    redis.set(
        "raw:planted",
        "{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"touch\",\"/tmp/weft-pwned\"]}");

    Product p = shop.product("kb", "peripherals");
    String raw = shop.raw("planted");

    assertThat(p).isEqualTo(new Product("kb", "Keyboard", "peripherals", 8900));
    assertThat(raw).isEqualTo("value of planted");
    assertThat(shop.loads).hasValue(2);
    assertThat(redis.get("raw:planted")).isEqualTo("\"value of planted\"");
  }

  @Test
  void bulk_hitsFromOneMget_methodCalledWithOnlyTheMisses_resultsStoredPerElement() {
    shop.product("kb", "peripherals");
    resetStats();

    Map<String, Product> first = shop.products(List.of("kb", "ms", "nope", "mn"));

    assertThat(first.keySet()).containsExactly("kb", "ms", "mn");
    assertThat(shop.bulkRequests).containsExactly(List.of("ms", "nope", "mn"));
    assertThat(redis.get("product:ms")).startsWith("{\"sku\":\"ms\"");
    assertThat(redis.get("product:nope")).isEqualTo("null");
    // One MGET; on a cluster Lettuce splits it into one per slot, at most one per id.
    assertThat(calls("mget")).isBetween(1L, masters() == 1 ? 1L : 4L);

    Map<String, Product> second = shop.products(List.of("mn", "kb", "nope"));

    assertThat(second.keySet()).containsExactly("mn", "kb");
    assertThat(shop.bulkRequests).hasSize(1);
    // The single-entry method reads what the bulk method stored.
    assertThat(shop.product("ms", "peripherals").name()).isEqualTo("Mouse");
    assertThat(shop.loads).hasValue(1);
  }

  @Test
  void bulk_setParameter_andOtherParametersInTheKey() {
    shop.productsIn("eu", new java.util.LinkedHashSet<>(List.of("kb", "ms")));
    Map<String, Product> again = shop.productsIn("eu", Set.of("ms"));

    assertThat(again).containsOnlyKeys("ms");
    assertThat(shop.bulkRequests).hasSize(1);
    assertThat(redis.exists("set:eu:kb", "set:eu:ms")).isEqualTo(2);
  }

  /** XFetch: a hot entry is refreshed in the background before it expires; no caller waits. */
  @Test
  void earlyRefresh_refreshesAHotEntryBeforeItExpires() throws Exception {
    shop.early("kb");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (shop.loads.get() < 2 && System.nanoTime() < deadline) {
      assertThat(shop.early("kb").sku()).isEqualTo("kb");
      assertThat(redis.exists("early:kb")).as("the entry never expired").isEqualTo(1);
    }
    assertThat(shop.loads).hasValue(2);
    assertThat(shop.earlyLoadThreads.get(0)).as("the first load runs in the caller").doesNotStartWith("weft-refresh");
    assertThat(shop.earlyLoadThreads.get(1)).as("the refresh runs in the background").startsWith("weft-refresh");
  }

  /** A loader that died holding the load lock blocks the key only until its lease ends. */
  @Test
  void crashedLoadersLock_blocksOnlyUntilItsLeaseEnds() {
    redis.psetex("weft:load:leased:kb", 800, "token-of-a-crashed-process");
    long start = System.nanoTime();

    Product p = shop.leased("kb");

    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(p.sku()).isEqualTo("kb");
    assertThat(shop.loads).hasValue(1);
    assertThat(tookMillis).as("waited for the lease, not forever").isBetween(600L, 2_500L);
  }

  @Test
  void resultThatCannotBeWritten_isAClearError_namingMethodAndType() {
    assertThatThrownBy(() -> shop.unwritable("x"))
        .isInstanceOf(dev.weft.exception.WeftConfigurationException.class)
        .hasMessageContaining(Mode.annotationOnly("@Cached on " + Shop.class.getName() + ".unwritable(String)"))
        .hasMessageContaining("Unwritable");
    assertThat(redis.exists("unwritable:x", "weft:load:unwritable:x")).isZero();
  }

  @Test
  void bulk_pathBelowTheElement_withAnotherCollectionParameter() {
    Map<Shop.Sku, Product> found = shop.wrapped(List.of("name"), List.of(new Shop.Sku("kb")));

    assertThat(found).containsOnlyKeys(new Shop.Sku("kb"));
    assertThat(redis.exists("wrapped:kb")).isEqualTo(1);
  }

  private static boolean waitForKey(String key) {
    return waitUntil(() -> redis.exists(key) == 1);
  }

  private static boolean waitUntil(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.onSpinWait();
    }
    return condition.getAsBoolean();
  }
}
