package dev.weft.agent;

import dev.weft.annotation.Cached;
import dev.weft.annotation.Invalidate;

/**
 * What {@link ClassWeaver#warmUp()} weaves: methods of the kinds applications annotate (a value
 * and {@code void}, an instance and a static method, object, wide and narrow parameters). Never
 * loaded as a class, never woven at run time (the agent skips its own package).
 */
final class WarmUp {

  private WarmUp() {}

  @Cached(key = "weft-agent:warm-up:{0}:{1}", ttl = "1s")
  String value(String id, long version) {
    return id + version;
  }

  @Invalidate(keys = "weft-agent:warm-up:{0}")
  static void forget(int id) {}
}
