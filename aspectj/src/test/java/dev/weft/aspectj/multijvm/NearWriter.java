package dev.weft.aspectj.multijvm;

import dev.weft.annotation.Invalidate;
import dev.weft.annotation.WriteThrough;

/** The writing side of the near-cache test, in the test's own JVM. */
public class NearWriter {

  @WriteThrough(key = "near:{id}", ttl = "10m")
  public String write(String id, String value) {
    return value;
  }

  @Invalidate(keys = "near:{id}")
  public void invalidate(String id) {}
}
