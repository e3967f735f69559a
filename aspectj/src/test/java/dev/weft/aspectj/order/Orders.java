package dev.weft.aspectj.order;

import dev.weft.annotation.Cached;
import dev.weft.annotation.Counted;
import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.Invalidate;
import dev.weft.annotation.RateLimited;
import dev.weft.annotation.WriteThrough;
import java.util.function.Consumer;

/** One method carrying every kind of Weft annotation, to show the order they run in. */
public class Orders {

  /** What the body does, set by the test (it marks the body's moment in Redis). */
  static volatile Consumer<String> body = id -> {};

  @Counted(name = "orders", key = "order:{0}")
  @RateLimited(key = "order:{0}", permits = 100, window = "1m")
  @DistributedLock(key = "order:{0}")
  @Invalidate(keys = "before:{0}", beforeInvocation = true)
  @Cached(key = "order:{0}", ttl = "1m")
  @WriteThrough(key = "copy:{0}", ttl = "1m")
  @Invalidate(keys = "after:{0}")
  public String order(String id) {
    body.accept(id);
    return "order " + id;
  }
}
