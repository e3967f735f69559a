package dev.weft.bench;

import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.annotation.RateLimited;

/** {@code @RateLimited} methods, woven by ajc with weft-aspectj; one per limit of the benchmark. */
public class RateLimitedService {

  /**
   * @param key what is limited
   * @return {@code true}; a denied call throws {@link
   *     dev.weft.exception.RateLimitExceededException}
   */
  @RateLimited(key = "{0}", permits = 1_000_000, window = "1s", algorithm = RateLimitAlgorithm.GCRA)
  public boolean underLimit(String key) {
    return true;
  }

  /**
   * @param key what is limited
   * @return {@code true}; a denied call throws {@link
   *     dev.weft.exception.RateLimitExceededException}
   */
  @RateLimited(key = "{0}", permits = 100, window = "1s", algorithm = RateLimitAlgorithm.GCRA)
  public boolean overLimit(String key) {
    return true;
  }
}
