package dev.weft.aspectj.caching;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.weft.Weft;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@link Shop} with its annotations written out by hand with the programmatic API: each method
 * does through {@link WeftCache} and {@link Weft} what its annotation does, and calls the
 * annotated (here unwoven) method for the body. The runtime is {@link Weft#global()}, read at each
 * call, as the woven methods do.
 */
final class ProgrammaticShop extends Shop {

  private static final CacheOptions TEN_MINUTES = CacheOptions.defaults().ttl("10m");
  private static final Type OPTIONAL_PRODUCT = new TypeReference<Optional<Product>>() {}.getType();

  private static <T> WeftCache<T> cache(Class<T> type, CacheOptions options) {
    return Weft.global().cache(type, options);
  }

  private static WeftCache<Product> products(CacheOptions options) {
    return cache(Product.class, options);
  }

  @Override
  public Product product(String sku, String category) {
    return products(TEN_MINUTES)
        .get("product:" + sku, List.of("category:" + category, "all-products"),
            () -> super.product(sku, category));
  }

  @Override
  public Product save(Product product) {
    Product saved = super.save(product);
    products(TEN_MINUTES).put("product:" + saved.sku(), saved, "category:" + saved.category());
    return saved;
  }

  @Override
  public void remove(String sku) {
    super.remove(sku);
    products(TEN_MINUTES).invalidate("product:" + sku);
  }

  @Override
  public void repriceCategory(String category) {
    super.repriceCategory(category);
    Weft.global().invalidateTag("category:" + category);
  }

  @Override
  public void wipe() {
    super.wipe();
    Weft.global().invalidateNamespace("product:");
  }

  @Override
  public void forget(String key) {
    super.forget(key);
    cache(String.class, TEN_MINUTES).invalidate("raw:" + key);
  }

  @Override
  public String raw(String key) {
    return cache(String.class, TEN_MINUTES).get("raw:" + key, () -> super.raw(key));
  }

  @Override
  public Map<String, Product> products(List<String> skus) {
    return bulk(skus, sku -> "product:" + sku, super::products);
  }

  @Override
  public Map<String, Product> productsIn(String region, Set<String> skus) {
    return bulk(
        skus, sku -> "set:" + region + ":" + sku,
        missing -> super.productsIn(region, new LinkedHashSet<>(missing)));
  }

  @Override
  public Map<Sku, Product> wrapped(List<String> fields, List<Sku> skus) {
    return bulk(skus, sku -> "wrapped:" + sku.value(), missing -> super.wrapped(fields, missing));
  }

  /**
   * One bulk read: ids become keys, the loader gets the ids whose keys missed, and the answer is
   * keyed by id again.
   */
  private static <I> Map<I, Product> bulk(
      Collection<I> ids, Function<I, String> keyOf, Function<List<I>, Map<I, Product>> load) {
    Map<String, I> byKey = new LinkedHashMap<>();
    for (I id : ids) {
      byKey.put(keyOf.apply(id), id);
    }
    Map<String, Product> found =
        products(TEN_MINUTES)
            .getAll(
                byKey.keySet(),
                missingKeys -> {
                  List<I> missing = new ArrayList<>(missingKeys.size());
                  missingKeys.forEach(key -> missing.add(byKey.get(key)));
                  Map<String, Product> loaded = new LinkedHashMap<>();
                  load.apply(missing).forEach((id, p) -> loaded.put(keyOf.apply(id), p));
                  return loaded;
                });
    Map<I, Product> answer = new LinkedHashMap<>();
    found.forEach((key, p) -> answer.put(byKey.get(key), p));
    return answer;
  }

  @Override
  public Optional<Product> find(String sku) {
    WeftCache<Optional<Product>> optional = Weft.global().cache(OPTIONAL_PRODUCT, TEN_MINUTES);
    return optional.get("opt:" + sku, () -> super.find(sku));
  }

  @Override
  public Product findOrNull(String sku) {
    return products(TEN_MINUTES.cacheNulls(false)).get("nonull:" + sku, () -> super.findOrNull(sku));
  }

  @Override
  public CompletableFuture<Product> async(String sku) {
    return products(TEN_MINUTES).getAsync("async:" + sku, () -> super.async(sku));
  }

  @Override
  public CompletableFuture<Product> asyncFailing(String sku) {
    return products(TEN_MINUTES).getAsync("async-fail:" + sku, () -> super.asyncFailing(sku));
  }

  @Override
  public int jittered(int n) {
    return cache(Integer.class, CacheOptions.defaults().ttl("10s").jitter("5s"))
        .get("jitter:" + n, () -> super.jittered(n));
  }

  @Override
  public int configured(int n) {
    return cache(Integer.class, CacheOptions.defaults().ttl("${weft.test.ttl:42s}"))
        .get("configured:" + n, () -> super.configured(n));
  }

  @Override
  public Product early(String sku) throws InterruptedException {
    return products(CacheOptions.defaults().ttl("1s").earlyRefresh(true))
        .get("early:" + sku, () -> super.early(sku));
  }

  @Override
  public Product nearProduct(String sku) {
    return products(TEN_MINUTES.near(true)).get("near:" + sku, () -> super.nearProduct(sku));
  }

  @Override
  public Product leased(String sku) {
    return products(TEN_MINUTES.loadTimeout("1s")).get("leased:" + sku, () -> super.leased(sku));
  }

  @Override
  public Unwritable unwritable(String id) {
    return cache(Unwritable.class, TEN_MINUTES).get("unwritable:" + id, () -> super.unwritable(id));
  }

  @Override
  public Product slowProduct(String sku) throws InterruptedException {
    return products(TEN_MINUTES).get("slow:" + sku, List.of("slow"), () -> super.slowProduct(sku));
  }

  @Override
  public void repriceAll(Product product) {
    super.repriceAll(product);
    Weft.global().invalidateTag("slow");
  }

  @Override
  public void reprice(Product product) {
    super.reprice(product);
    products(TEN_MINUTES).invalidate("slow:" + product.sku());
  }

  @Override
  public Product stale(String sku) {
    return products(CacheOptions.defaults().ttl("300ms").staleWhileRevalidate("1m"))
        .get("swr:" + sku, () -> super.stale(sku));
  }
}
