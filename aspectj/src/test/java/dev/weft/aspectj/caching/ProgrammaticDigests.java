package dev.weft.aspectj.caching;

import dev.weft.Weft;
import dev.weft.annotation.Counted;
import dev.weft.aspectj.counted.Pages;
import dev.weft.aspectj.ratelimit.Quotes;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.counter.Counter;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.Granularity;

/**
 * {@link Digests} with {@code @Cached} and {@code @Counted} written out with {@link WeftCache} and
 * {@link Counter}; the beans it calls are their programmatic twins. The loader a refresh runs is
 * the (here unwoven) annotated method, so its nested calls are ordinary calls of those twins.
 */
final class ProgrammaticDigests extends Digests {

  private static final CacheOptions STALE = CacheOptions.defaults().ttl("10m").staleWhileRevalidate(
      WINDOW);

  ProgrammaticDigests(Quotes quotes, Pages pages, Shop shop) {
    super(quotes, pages, shop);
  }

  private static WeftCache<String> cache() {
    return Weft.global().cache(String.class, STALE);
  }

  @Override
  public String quoted(String user) {
    return cache().get("digest:quote:" + user, () -> super.quoted(user));
  }

  @Override
  public String viewed(String page) {
    String result = cache().get("digest:view:" + page, () -> super.viewed(page));
    Weft.global().counter(Counted.DEFAULT_NAME,
        CounterOptions.defaults().granularity(Granularity.MINUTE))
        .incrementAsync("digest-views:" + page);
    return result;
  }

  @Override
  public String saved(String sku) {
    return cache().get("digest:save:" + sku, () -> super.saved(sku));
  }

  @Override
  public String removed(String sku) {
    return cache().get("digest:remove:" + sku, () -> super.removed(sku));
  }
}
