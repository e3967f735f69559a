package dev.weft.aspectj.runtimes;

import dev.weft.annotation.Cached;
import dev.weft.annotation.Counted;
import dev.weft.annotation.Invalidate;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Methods that name the runtime they use, woven by ajc (and by LTW or the agent when the suite
 * runs under them). Each {@code balance} method caches under the same key text, {@code
 * balance:{id}}, so only its runtime (its Redis, its key prefix) keeps the entries apart.
 */
public class Ledgers {

  /** On the class's Redis, no prefix. */
  static final String HOME = "ledgers-home";
  /** On a second Redis server, no prefix. */
  static final String OTHER_SERVER = "ledgers-other-server";
  /** On the class's Redis, key prefix {@code one}. */
  static final String PREFIX_ONE = "ledgers-one";
  /** On the class's Redis, key prefix {@code two}. */
  static final String PREFIX_TWO = "ledgers-two";
  /** Never built before the test that builds it. */
  static final String LATE = "ledgers-late";

  final AtomicInteger loads = new AtomicInteger();

  private String load(String where, String id) {
    return where + " balance " + id + " #" + loads.incrementAndGet();
  }

  @Cached(key = "balance:{id}", ttl = "10m", runtime = HOME)
  public String home(String id) {
    return load("home", id);
  }

  @Cached(key = "balance:{id}", ttl = "10m", runtime = OTHER_SERVER)
  public String otherServer(String id) {
    return load("other server", id);
  }

  @Cached(key = "balance:{id}", ttl = "10m")
  public String global(String id) {
    return load("global", id);
  }

  @Cached(key = "balance:{id}", ttl = "10m", runtime = PREFIX_ONE)
  public String prefixOne(String id) {
    return load("one", id);
  }

  @Cached(key = "balance:{id}", ttl = "10m", runtime = PREFIX_TWO)
  public String prefixTwo(String id) {
    return load("two", id);
  }

  @Invalidate(keys = "balance:{id}", runtime = OTHER_SERVER)
  public void resetOtherServer(String id) {}

  @Counted(key = "deposits", runtime = OTHER_SERVER)
  public void deposit() {}

  @Cached(key = "balance:{id}", ttl = "10m", runtime = LATE)
  @Counted(key = "late-reads")
  public String late(String id) {
    return load("late", id);
  }

  @Cached(key = "balance:{id}", ttl = "10m", runtime = HOME)
  @Counted(key = "reads", runtime = OTHER_SERVER)
  public String twoRuntimes(String id) {
    return load("two runtimes", id);
  }
}
