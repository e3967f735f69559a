package dev.weft.agent;

import java.util.Set;

/**
 * The annotations that make a method woven: every method annotation of weft-annotations but the
 * listeners ({@code @Subscribe}, {@code @StreamListener}), which the runtime finds by reflection.
 * One list, read by the weaver's method matcher and by {@code agentmain}'s search of the classes
 * loaded before the agent; pure JDK, so reading it loads nothing of ByteBuddy.
 */
final class WovenAnnotations {

  /** The annotations as type descriptors, as class files name them. */
  static final Set<String> DESCRIPTORS =
      Set.of(
          "Ldev/weft/annotation/Cached;",
          "Ldev/weft/annotation/CachedBulk;",
          "Ldev/weft/annotation/WriteThrough;",
          "Ldev/weft/annotation/Invalidate;",
          "Ldev/weft/annotation/Invalidate$List;",
          "Ldev/weft/annotation/RateLimited;",
          "Ldev/weft/annotation/RateLimited$List;",
          "Ldev/weft/annotation/DistributedLock;",
          "Ldev/weft/annotation/Counted;",
          "Ldev/weft/annotation/Counted$List;");

  private WovenAnnotations() {}

  /** @return the annotations' binary names, as in {@code dev.weft.annotation.Invalidate$List} */
  static String[] binaryNames() {
    return DESCRIPTORS.stream()
        .map(d -> d.substring(1, d.length() - 1).replace('/', '.'))
        .toArray(String[]::new);
  }
}
