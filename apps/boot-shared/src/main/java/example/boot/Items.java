package example.boot;

import dev.weft.annotation.Cached;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Items read from a slow source, cached in Redis by {@code @Cached}. */
@Service
public class Items {

  private static final Logger LOG = LoggerFactory.getLogger(Items.class);

  /** An item as its source made it; {@code load} numbers the source's calls. */
  public record Item(String id, int load) {}

  private final AtomicInteger loads = new AtomicInteger();

  /**
   * @param id the item's id, not {@code null}
   * @return the item, from Redis when cached, never {@code null}
   */
  @Cached(key = "items:{id}", ttl = "10m")
  public Item find(String id) {
    int load = loads.incrementAndGet();
    LOG.info("Loading item {} from its source (load {})", id, load);
    return new Item(id, load);
  }

  /** @return how often {@link #find} reached its source */
  public int loads() {
    return loads.get();
  }
}
