package dev.weft.internal.ratelimit;

import dev.weft.internal.plan.KeyText;
import dev.weft.internal.redis.HashTags;
import dev.weft.internal.redis.KeySpace;
import dev.weft.ratelimit.Limit;
import java.util.Locale;

/**
 * Builds rate-limit keys: {@code weft:rl:{<user key>}:<algorithm>:<permits>/<window ms>}, e.g.
 * {@code weft:rl:{user:42}:gcra:10/1000}, in the runtime's {@link KeySpace} (behind its prefix).
 *
 * <h2>Hash tag</h2>
 *
 * The user key, escaped by {@link HashTags}, is the key's hash tag, so every limit of one request
 * (all of them KEYS of one script) lands in one Redis Cluster slot. An empty user key is
 * rejected: its tag {@code {}} would be empty, and Redis would hash each whole key instead.
 */
public final class RateLimitKeys {

  private RateLimitKeys() {}

  /**
   * @param keys the runtime's key space, not {@code null}
   * @param userKey what is limited, not {@code null}, not empty
   * @param limit the limit, not {@code null}
   * @return the limit's key for {@code userKey}
   * @throws IllegalArgumentException if {@code userKey} is empty
   */
  public static String key(KeySpace keys, String userKey, Limit limit) {
    return hashTag(keys, userKey) + suffix(limit);
  }

  /**
   * @param keys the runtime's key space, not {@code null}
   * @param userKey what is limited, not {@code null}, not empty
   * @return {@code <prefix>weft:rl:{<escaped user key>}}
   * @throws IllegalArgumentException if {@code userKey} is empty
   */
  public static String hashTag(KeySpace keys, String userKey) {
    if (userKey.isEmpty()) {
      throw new IllegalArgumentException(
          "the rate-limit key must not be empty: pass what is limited, such as a user id or an IP");
    }
    return HashTags.tagged(keys.internal("rl:"), KeyText.bound(userKey));
  }

  /**
   * @param limit the limit, not {@code null}
   * @return {@code :<algorithm>:<permits>/<window ms>}, the algorithm in lower case
   */
  public static String suffix(Limit limit) {
    return ":" + algorithmName(limit) + ":" + limit.permits() + "/" + limit.windowMillis();
  }

  /**
   * @param limit the limit, not {@code null}
   * @return the algorithm's name as {@code ratelimit_decide.lua} knows it
   */
  static String algorithmName(Limit limit) {
    return limit.algorithm().name().toLowerCase(Locale.ROOT);
  }
}
