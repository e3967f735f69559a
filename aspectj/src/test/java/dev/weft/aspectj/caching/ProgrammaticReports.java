package dev.weft.aspectj.caching;

import dev.weft.Weft;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;

/**
 * {@link Reports} written out with the programmatic API, for the methods whose keys the caller
 * gives whole: the namespace, a long key, a key in Weft's namespace. The rest render keys from
 * arguments, which only the annotation layer does; their tests run only when woven.
 */
final class ProgrammaticReports extends Reports {

  private static WeftCache<String> strings() {
    return Weft.global().cache(String.class, CacheOptions.defaults().ttl("10m"));
  }

  @Override
  public String user(long id) {
    return strings().get("user:" + id, () -> super.user(id));
  }

  @Override
  public String orders(long id) {
    return strings().get("user:" + id + ":orders", () -> super.orders(id));
  }

  @Override
  public void forgetUser(long id) {
    super.forgetUser(id);
    Weft.global().invalidateNamespace("user:" + id);
  }

  @Override
  public Page raw(String key) {
    return Weft.global().cache(Page.class, CacheOptions.defaults().ttl("10m")).get(key,
        () -> super.raw(key));
  }
}
