package example.shapes;

import dev.weft.annotation.Cached;
import dev.weft.aspectj.WeftAspect;

/**
 * Stands for a class ajc has woven: its code calls Weft's aspect, as ajc's output does. The agent
 * must leave such a class alone.
 */
public class AlreadyWoven {

  @Cached(key = "already:{id}", ttl = "1m")
  public String find(String id) {
    WeftAspect.hasAspect();
    return id;
  }
}
