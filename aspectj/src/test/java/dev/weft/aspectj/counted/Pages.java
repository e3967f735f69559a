package dev.weft.aspectj.counted;

import dev.weft.annotation.Cached;
import dev.weft.annotation.Counted;
import dev.weft.annotation.Counted.Outcome;
import dev.weft.annotation.RateLimited;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Counted methods, woven by ajc (and by LTW or the agent when the suite runs under them). */
public class Pages {

  /** An order, for a key with a property path. */
  public record Order(String region, long cents) {}

  final AtomicInteger runs = new AtomicInteger();

  /** @return pages for this JVM's {@link dev.weft.aspectj.Mode} */
  public static Pages create() {
    return dev.weft.aspectj.Mode.programmatic()
        ? new ProgrammaticPages()
        : dev.weft.aspectj.Mode.fixture(new Pages());
  }

  @Counted(key = "views:{page}")
  @Counted(key = "views")
  public String view(String page) {
    runs.incrementAndGet();
    return "page " + page;
  }

  @Counted(key = "checkout:ok", outcome = Outcome.SUCCESS)
  @Counted(key = "checkout:failed", outcome = Outcome.FAILURE)
  public String checkout(String cart, boolean declined) {
    runs.incrementAndGet();
    if (declined) {
      throw new IllegalStateException("card declined for " + cart);
    }
    return "paid " + cart;
  }

  @Cached(key = "article:{id}", ttl = "10m")
  @Counted(key = "reads:{id}")
  public String article(String id) {
    runs.incrementAndGet();
    return "article " + id;
  }

  @Counted(key = "export:done", outcome = Outcome.SUCCESS)
  @Counted(key = "export:failed", outcome = Outcome.FAILURE)
  public CompletableFuture<String> export(CompletableFuture<String> job) {
    runs.incrementAndGet();
    return job;
  }

  @RateLimited(key = "search", permits = 2, window = "1m")
  @Counted(key = "search:calls")
  @Counted(key = "search:refused", outcome = Outcome.FAILURE)
  public String search(String query) {
    runs.incrementAndGet();
    return "results for " + query;
  }

  @Counted(key = "orders:{order.region}", name = "orders", granularity = Counted.Granularity.HOUR,
      retention = "2d")
  public void order(Order order) {
    runs.incrementAndGet();
  }

  /** More parameters than the bound advice takes: woven through {@code WeftAspectManyParameters}. */
  @Counted(key = "report:{region}:{format}")
  public String report(String region, String from, String to, String format, int limit) {
    runs.incrementAndGet();
    return region + " " + format;
  }

  @Counted(key = "views:{pgae}")
  public String misspelled(String page) {
    runs.incrementAndGet();
    return "page " + page;
  }
}
