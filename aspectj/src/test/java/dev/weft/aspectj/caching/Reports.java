package dev.weft.aspectj.caching;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.weft.annotation.Cached;
import dev.weft.annotation.Invalidate;
import java.util.concurrent.atomic.AtomicInteger;

/** Methods whose keys are rendered from awkward arguments, woven by ajc (or the agent). */
public class Reports {

  /** A filter with only private fields and no getters; its tenant hidden from Jackson. */
  public static final class Filter {
    private final String term;
    @JsonIgnore private final String tenant;

    public Filter(String term, String tenant) {
      this.term = term;
      this.tenant = tenant;
    }
  }

  /** A page of text; a record, so that no other JSON value reads as one. */
  public record Page(String text) {}

  /** What a search is about; implementations decide what they hold. */
  public interface Criteria {}

  final AtomicInteger loads = new AtomicInteger();

  /** @return reports for this JVM's {@link dev.weft.aspectj.Mode} */
  public static Reports create() {
    return dev.weft.aspectj.Mode.programmatic()
        ? new ProgrammaticReports()
        : dev.weft.aspectj.Mode.fixture(new Reports());
  }

  @Cached(key = "report:{filter}", ttl = "10m")
  public String report(Filter filter) {
    return "report " + loads.incrementAndGet();
  }

  @Cached(ttl = "10m")
  public String wholeCall(Filter filter) {
    return "whole " + loads.incrementAndGet();
  }

  @Cached(key = "inv:{tenant}:{sku}", ttl = "10m")
  public String stock(String tenant, String sku) {
    return "stock " + loads.incrementAndGet();
  }

  @Cached(key = "search:{criteria}", ttl = "10m")
  public String search(Criteria criteria) {
    return "search " + loads.incrementAndGet();
  }

  @Cached(key = "user:{id}", ttl = "10m")
  public String user(long id) {
    return "user " + loads.incrementAndGet();
  }

  @Cached(key = "user:{id}:orders", ttl = "10m")
  public String orders(long id) {
    return "orders " + loads.incrementAndGet();
  }

  @Invalidate(namespace = "user:{id}")
  public void forgetUser(long id) {}

  @Cached(key = "{0}", ttl = "10m")
  public Page raw(String key) {
    return new Page("raw " + loads.incrementAndGet());
  }
}
