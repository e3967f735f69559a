package dev.weft.internal.redis;

import dev.weft.exception.WeftConfigurationException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The part of Redis one runtime writes to: every key Weft writes and the change channel, under the
 * runtime's key prefix.
 *
 * <h2>Design</h2>
 *
 * A runtime has one key space, built from {@code Weft.builder().keyPrefix(...)}, else {@value
 * #ENV}, else {@value #PROPERTY}. Its prefix is a name of {@value #NAME_RULE} followed by {@code
 * :}, so {@code orders} gives {@code orders:user:42}, {@code orders:weft:lock:{job}} and the
 * channel {@code orders:weft:changes}; without a name the prefix is empty and the keys are Weft's
 * historical ones. Several applications on one Redis, each with its own prefix, never read or
 * remove each other's entries, locks or limits, and each hears only its own invalidations. A
 * runtime without a prefix still sees every key: give each application that shares a Redis one.
 *
 * <p>Two kinds of keys live in a space. {@linkplain #entry Entries} are the user's cache keys
 * (what a {@code @Cached} template renders, what {@code WeftCache} and write-behind are given)
 * behind the prefix. {@linkplain #internal Weft's own keys} (tags, load locks, locks and fences,
 * rate limits, counters, sessions, leaderboards, Bloom filters, queues, write-behind streams) live
 * under {@code <prefix>weft:}. An entry key that starts with {@value #ROOT} is refused, so a
 * cache key can never name, and overwrite, one of Weft's own keys.
 *
 * <p>The prefix's characters exclude {@code {} and {@code }}: a prefixed key has the same Redis
 * Cluster hash tag, and so the same slot relations, as the key without it. Streams and pub/sub
 * channels that the application names ({@code StreamProducer}, {@code StreamConsumers}, {@code
 * Publisher}, {@code Subscriber}) are not in the space: they are how applications talk to each
 * other.
 */
public final class KeySpace {

  /** The environment variable that sets the key prefix. */
  public static final String ENV = "WEFT_KEY_PREFIX";

  /** The system property that sets the key prefix. */
  public static final String PROPERTY = "weft.key-prefix";

  /** What a prefix's name may be, for messages. */
  public static final String NAME_RULE = "1 to 64 letters, digits, '.', '_' or '-'";

  /** The start of Weft's own keys within a space. */
  public static final String ROOT = "weft:";

  /** The space without a prefix: Weft's keys as they are without configuration. */
  public static final KeySpace NONE = new KeySpace("");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int SHOWN = 80;

  private final String prefix;
  private final String internalRoot;
  private final String channel;

  private KeySpace(String prefix) {
    this.prefix = prefix;
    this.internalRoot = prefix + ROOT;
    this.channel = internalRoot + "changes";
  }

  /**
   * @param name the prefix's name, {@value #NAME_RULE}; {@code null} or empty for no prefix
   * @param source where the name came from, for the message, such as {@code
   *     "Weft.builder().keyPrefix(...)"}
   * @return the space whose keys start with {@code name:}
   * @throws WeftConfigurationException if {@code name} breaks the rule; the message names {@code
   *     source}, the rule and an example
   */
  public static KeySpace of(String name, String source) {
    if (name == null || name.isEmpty()) {
      return NONE;
    }
    if (!NAME.matcher(name).matches()) {
      throw new WeftConfigurationException(
          source + " sets the Redis key prefix to \"" + shorten(name) + "\", but a prefix must be "
              + NAME_RULE + " (Weft appends ':'), such as \"orders\"; leave it unset or empty for"
              + " no prefix");
    }
    return new KeySpace(name + ":");
  }

  /**
   * Resolves the configured space; the order is the one {@link RedisTimeouts} uses.
   *
   * @param given what the builder was given, {@code null} if nothing (then the environment
   *     decides); empty for no prefix
   * @param env the environment, usually {@link System#getenv()}, not {@code null}
   * @param property the value of {@value #PROPERTY}, or {@code null}
   * @return the space, never {@code null}
   * @throws WeftConfigurationException if the value that decides is not a valid name
   */
  public static KeySpace resolve(String given, Map<String, String> env, String property) {
    if (given != null) {
      return of(given, "Weft.builder().keyPrefix(...)");
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return of(fromEnv, "the environment variable " + ENV);
    }
    if (property != null && !property.isBlank()) {
      return of(property, "the system property " + PROPERTY);
    }
    return NONE;
  }

  /**
   * @param given what the builder was given, {@code null} if nothing
   * @return the space configured for this process, see {@link #resolve}
   * @throws WeftConfigurationException if the value that decides is not a valid name
   */
  public static KeySpace fromEnvironment(String given) {
    return resolve(given, System.getenv(), System.getProperty(PROPERTY));
  }

  /** @return the prefix every key of the space starts with: {@code "<name>:"}, or empty */
  public String prefix() {
    return prefix;
  }

  /**
   * @param userKey a cache entry's key as the user names it, not {@code null}
   * @return its Redis key, {@code <prefix><userKey>}
   * @throws IllegalArgumentException if {@code userKey} starts with {@value #ROOT}, which names
   *     Weft's own keys
   */
  public String entry(String userKey) {
    if (userKey.startsWith(ROOT)) {
      throw new IllegalArgumentException(
          "the cache key \"" + shorten(userKey) + "\" starts with '" + ROOT + "', which Weft keeps"
              + " for its own keys (locks, rate limits, tags, queues...), so a cache entry could"
              + " overwrite one; give the key another start, such as a literal word before its"
              + " first placeholder in a @Cached key template");
    }
    return prefix.isEmpty() ? userKey : prefix + userKey;
  }

  /**
   * @param redisKey a Redis key, not {@code null}
   * @return the user's key of the entry stored at {@code redisKey}, or {@code null} if it is not
   *     an entry of this space (outside the prefix, or one of Weft's own keys)
   */
  public String userKeyOf(String redisKey) {
    if (!redisKey.startsWith(prefix) || redisKey.startsWith(internalRoot)) {
      return null;
    }
    return redisKey.substring(prefix.length());
  }

  /**
   * @param redisKey a Redis key, not {@code null}
   * @return whether it is one of Weft's own keys in this space
   */
  public boolean isInternal(String redisKey) {
    return redisKey.startsWith(internalRoot);
  }

  /**
   * @param rest the key within Weft's own, such as {@code "lock:"} or {@code "tag:" + tag}
   * @return {@code <prefix>weft:<rest>}
   */
  public String internal(String rest) {
    return internalRoot + rest;
  }

  /** @return the channel Weft's scripts announce changed keys on: {@code <prefix>weft:changes} */
  public String channel() {
    return channel;
  }

  /**
   * @return what the change feed's permission probe publishes: a key of the space that nobody
   *     uses
   */
  public String probe() {
    return channel + ":probe";
  }

  /**
   * @return the ACL key pattern that covers every key of the space: {@code ~<prefix>*}, or {@code
   *     ~*} without a prefix
   */
  public String aclKeyPattern() {
    return "~" + prefix + "*";
  }

  @Override
  public String toString() {
    return prefix.isEmpty() ? "KeySpace[no prefix]" : "KeySpace[" + prefix + "]";
  }

  private static String shorten(String text) {
    return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
  }
}
