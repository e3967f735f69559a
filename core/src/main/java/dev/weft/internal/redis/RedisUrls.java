package dev.weft.internal.redis;

import dev.weft.exception.WeftConfigurationException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where Weft finds its Redis, and how a URL names a cluster.
 *
 * <p>The URL comes from, in order: the environment variable {@code WEFT_REDIS_URL}, the
 * environment variable {@code REDIS_URL}, the system property {@code weft.redis.url}, and finally
 * {@code redis://localhost:6379}. Standalone and Sentinel URLs use Lettuce's syntax
 * ({@code redis://}, {@code rediss://} for TLS, {@code redis-sentinel://}). A cluster is named by
 * its seed nodes: {@code redis-cluster://host1:7000,host2:7001} ({@code rediss-cluster://} for TLS;
 * credentials as {@code redis-cluster://user:secret@host1:7000,host2:7001}).
 *
 * <p>Every Lettuce URI Weft connects with is made here ({@link #uri}, {@link #clusterSeeds(String,
 * Duration, ConnectionOptions)}), so that timeouts, certificate verification and credentials are
 * the same for every connection of a runtime.
 *
 * <h2>Design</h2>
 *
 * <p><b>Checked once, at creation.</b> A runtime checks each of its URLs when it is created
 * ({@link #check}): one that cannot be parsed is a {@link WeftConfigurationException} naming the
 * setting it came from ({@code WEFT_REDIS_URL}, {@code weft.redis.url}, {@code
 * Weft.builder().redisUrl(...)}, {@code WEFT_REDLOCK_URLS}, ...), what is wrong and the fix,
 * never the password. Without the check, the JDK's URI parser refused the URL at each call with
 * a message quoting it, password and all.
 *
 * <p><b>Reserved characters in passwords.</b> A user name or password holds any character when
 * it is percent-encoded, as RFC 3986 has it: {@code ^} as {@code %5E}, {@code %} as {@code %25},
 * {@code @} as {@code %40}, {@code ,} as {@code %2C}, {@code :} as {@code %3A}, {@code /} as
 * {@code %2F}, a space as {@code %20}. Lettuce decodes them before it authenticates. A raw
 * {@code %}, {@code ^}, space, second {@code @}, ... is refused with the characters to encode
 * named (not the password); a raw {@code ,} or {@code :} in a password parses and works.
 *
 * <p><b>Redlock lists.</b> {@code WEFT_REDLOCK_URLS} is split at the commas that precede a
 * scheme ({@code ,redis://}, {@code ,rediss://}), so a comma inside a password, raw or as {@code
 * %2C}, stays in its URL.
 */
public final class RedisUrls {

  /** The URL used when nothing is configured. */
  public static final String DEFAULT_URL = "redis://localhost:6379";

  /** How messages name the builder's URL. */
  public static final String BUILDER_URL = "Weft.builder().redisUrl(...)";

  /** How messages name the builder's Redlock masters. */
  public static final String BUILDER_REDLOCK = "Weft.builder().redlock(...)";

  /** The commas of a Redlock list that separate two URLs: those before a scheme. */
  private static final Pattern REDLOCK_SEPARATOR =
      Pattern.compile(",\\s*(?=[A-Za-z][A-Za-z0-9+.-]*://)");

  /** The characters a URL's user information may hold as they are (RFC 2396, as the JDK reads it). */
  private static final String USER_INFO_CHARACTERS = "-_.!~*'();:&=+$,";

  private RedisUrls() {}

  /**
   * A URL and the setting it was read from, for messages.
   *
   * @param url the URL, password included; never log it
   * @param setting the environment variable, system property or builder method it came from
   */
  public record Configured(String url, String setting) {

    @Override
    public String toString() {
      return setting + "=" + Secrets.redactUrl(url);
    }
  }

  /**
   * As {@link #resolve}, with the setting the URL came from.
   *
   * @param env the environment, not {@code null}
   * @param systemProperty the value of {@code weft.redis.url}, or {@code null}
   * @return the URL and its setting, never {@code null}
   */
  public static Configured resolveConfigured(Map<String, String> env, String systemProperty) {
    String[][] candidates = {
      {env.get("WEFT_REDIS_URL"), "WEFT_REDIS_URL"},
      {env.get("REDIS_URL"), "REDIS_URL"},
      {systemProperty, "weft.redis.url"}
    };
    for (String[] candidate : candidates) {
      if (candidate[0] != null && !candidate[0].isBlank()) {
        return new Configured(candidate[0].trim(), candidate[1]);
      }
    }
    return new Configured(DEFAULT_URL, "the default URL");
  }

  /**
   * The URL configured for this process, checked.
   *
   * @return the URL, never {@code null}
   * @throws WeftConfigurationException if it cannot be parsed; see {@link #check}
   */
  public static String checkedFromEnvironment() {
    Configured configured =
        resolveConfigured(System.getenv(), System.getProperty("weft.redis.url"));
    return check(configured.url(), configured.setting());
  }

  /**
   * The Redlock masters configured for this process, each checked.
   *
   * @return the URLs, empty if none are configured
   * @throws WeftConfigurationException if one cannot be parsed or names a cluster
   */
  public static List<String> checkedRedlockFromEnvironment() {
    String env = System.getenv("WEFT_REDLOCK_URLS");
    boolean fromEnv = env != null && !env.isBlank();
    String setting = fromEnv ? "WEFT_REDLOCK_URLS" : "weft.redlock.urls";
    List<String> urls = redlock(env, System.getProperty("weft.redlock.urls"));
    for (int i = 0; i < urls.size(); i++) {
      checkRedlock(urls.get(i), setting + " (URL " + (i + 1) + " of " + urls.size() + ")");
    }
    return urls;
  }

  /**
   * Checks one Redlock master's URL: {@link #check}, and not a cluster.
   *
   * @param url the URL, not {@code null}
   * @param setting where it came from, for the message
   * @return {@code url}
   * @throws WeftConfigurationException if it cannot be parsed or names a cluster
   */
  public static String checkRedlock(String url, String setting) {
    if (isCluster(url)) {
      throw new WeftConfigurationException(
          setting + ": Redlock masters must be independent standalone servers, not a cluster ("
              + Secrets.redactUrl(url) + "); give one redis:// URL per master");
    }
    return check(url, setting);
  }

  /**
   * Checks that {@code url} can be parsed as Weft will parse it to connect.
   *
   * @param url a Redis URL, not {@code null}
   * @param setting where it came from ({@code WEFT_REDIS_URL}, {@link #BUILDER_URL}, ...), for
   *     the message
   * @return {@code url}
   * @throws WeftConfigurationException if it cannot be parsed: the message names {@code setting},
   *     what is wrong and the fix (which characters to percent-encode), never the password
   */
  public static String check(String url, String setting) {
    String problem = problem(url);
    if (problem != null) {
      throw new WeftConfigurationException(setting + ": " + problem);
    }
    return url;
  }

  /** @return what is wrong with {@code url}, without its password, or {@code null} */
  static String problem(String url) {
    String shown = Secrets.redactUrl(url);
    int scheme = url.indexOf("://");
    if (scheme <= 0) {
      return "the Redis URL " + shown + " has no scheme; write redis://host:port (rediss:// for"
          + " TLS, redis-sentinel://host:port?sentinelMasterId=name for Sentinel,"
          + " redis-cluster://host:port,host:port for a cluster)";
    }
    int start = scheme + 3;
    int authorityEnd = firstOf(url, start, "/?#");
    int firstAt = url.indexOf('@', start);
    boolean twoAts =
        firstAt >= 0 && firstAt < authorityEnd && url.indexOf('@', firstAt + 1) >= 0
            && url.indexOf('@', firstAt + 1) < authorityEnd;
    String parseError = null;
    try {
      List<RedisURI> uris = isCluster(url) ? clusterSeeds(url) : List.of(RedisURI.create(url));
      for (RedisURI uri : uris) {
        if (uri.getSocket() == null && uri.getSentinels().isEmpty()
            && (uri.getHost() == null || uri.getHost().isBlank())) {
          parseError = "it names no host";
        }
      }
    } catch (RuntimeException e) {
      parseError = String.valueOf(Secrets.redact(e.getMessage()));
    }
    if (parseError == null && !twoAts) {
      return null;
    }
    int at = twoAts ? url.lastIndexOf('@', authorityEnd - 1) : url.lastIndexOf('@');
    Set<String> reserved = at > start ? reserved(url.substring(start, at)) : Set.of();
    if (!reserved.isEmpty()) {
      return "the user name or password in the Redis URL " + shown + " holds characters that a"
          + " URL reserves; percent-encode them: " + String.join(", ", reserved)
          + " (a password a^b%c is written a%5Eb%25c); Weft decodes them before it"
          + " authenticates";
    }
    return "the Redis URL " + shown + " cannot be parsed (" + parseError + "); write"
        + " redis://[user:password@]host:port[/database] (rediss:// for TLS,"
        + " redis-sentinel://host:port?sentinelMasterId=name, redis-cluster://host:port,host:port),"
        + " and percent-encode reserved characters in the user name and password (^ as %5E, % as"
        + " %25, @ as %40, / as %2F, space as %20)";
  }

  /** @return each character of {@code userInfo} that must be percent-encoded, with its encoding */
  private static Set<String> reserved(String userInfo) {
    Set<String> found = new LinkedHashSet<>();
    for (int i = 0; i < userInfo.length(); i++) {
      char c = userInfo.charAt(i);
      boolean escape =
          c == '%' && i + 2 < userInfo.length() && isHex(userInfo.charAt(i + 1))
              && isHex(userInfo.charAt(i + 2));
      boolean plain =
          c > 0x7f ? !Character.isWhitespace(c) && !Character.isISOControl(c)
              : Character.isLetterOrDigit(c) || USER_INFO_CHARACTERS.indexOf(c) >= 0;
      if (!plain && !escape) {
        String shown = c == ' ' ? "a space" : c < 0x20 || c == 0x7f ? "a control character" : "'" + c + "'";
        found.add(shown + " as " + (c > 0x7f ? "its UTF-8 bytes, each as %XX" : String.format("%%%02X", (int) c)));
      }
    }
    return found;
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  private static int firstOf(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  /**
   * Resolves the configured URL.
   *
   * @param env the environment, usually {@link System#getenv()}, not {@code null}
   * @param systemProperty the value of {@code weft.redis.url}, or {@code null}
   * @return the URL to use, never {@code null}
   */
  public static String resolve(Map<String, String> env, String systemProperty) {
    for (String candidate :
        new String[] {env.get("WEFT_REDIS_URL"), env.get("REDIS_URL"), systemProperty}) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate.trim();
      }
    }
    return DEFAULT_URL;
  }

  /** @return the URL configured for this process, never {@code null} */
  public static String fromEnvironment() {
    return resolve(System.getenv(), System.getProperty("weft.redis.url"));
  }

  /**
   * @return the Redlock masters configured for this process: the comma-separated URLs of {@code
   *     WEFT_REDLOCK_URLS}, else of the system property {@code weft.redlock.urls}; empty if none
   */
  public static List<String> redlockFromEnvironment() {
    return redlock(System.getenv("WEFT_REDLOCK_URLS"), System.getProperty("weft.redlock.urls"));
  }

  /**
   * @param env the value of {@code WEFT_REDLOCK_URLS}, or {@code null}
   * @param systemProperty the value of {@code weft.redlock.urls}, or {@code null}
   * @return the URLs, trimmed, without empty items; empty if neither is set. The list is split at
   *     the commas before a scheme only, so that a comma in a password stays in its URL
   */
  static List<String> redlock(String env, String systemProperty) {
    String list = env != null && !env.isBlank() ? env : systemProperty;
    if (list == null || list.isBlank()) {
      return List.of();
    }
    return REDLOCK_SEPARATOR.splitAsStream(list.trim())
        .map(String::trim)
        .map(u -> u.endsWith(",") ? u.substring(0, u.length() - 1).trim() : u)
        .filter(u -> !u.isEmpty())
        .toList();
  }

  /**
   * The Lettuce URI of a standalone or Sentinel URL, as Weft connects with it: {@code timeout} as
   * the URI's timeout (which bounds the connect handshake), full verification of a TLS server's
   * certificate chain and host name ({@link SslVerifyMode#FULL}) unless the URL itself says
   * otherwise ({@code ?verifyPeer=NONE} or {@code CA}), and {@code options}' credentials provider
   * if it has one (which then wins over the URL's user and password).
   *
   * @param url a {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URL, not
   *     {@code null}
   * @param timeout the URI's timeout, not {@code null}
   * @param options the runtime's connection options, not {@code null}
   * @return a new URI, never {@code null}
   * @throws IllegalArgumentException if the URL cannot be parsed
   */
  public static RedisURI uri(String url, Duration timeout, ConnectionOptions options) {
    return configure(RedisURI.create(url), url, timeout, options);
  }

  /**
   * As {@link #clusterSeeds(String)}, each seed configured as {@link #uri} configures a URI.
   *
   * @param url a cluster URL, not {@code null}
   * @param timeout the command timeout, not {@code null}
   * @param options the runtime's connection options, not {@code null}
   * @return the seed nodes, never empty
   */
  public static List<RedisURI> clusterSeeds(
      String url, Duration timeout, ConnectionOptions options) {
    List<RedisURI> seeds = clusterSeeds(url);
    seeds.forEach(seed -> configure(seed, url, timeout, options));
    return seeds;
  }

  private static RedisURI configure(
      RedisURI uri, String url, Duration timeout, ConnectionOptions options) {
    uri.setTimeout(timeout);
    if (uri.isSsl() && !url.contains("verifyPeer=")) {
      uri.setVerifyPeer(SslVerifyMode.FULL);
    }
    if (options.credentials() != null) {
      uri.setCredentialsProvider(options.credentials());
    }
    return uri;
  }

  /**
   * @param url a Redis URL, not {@code null}
   * @return whether it reaches its master through Redis Sentinel ({@code redis-sentinel://} or
   *     {@code rediss-sentinel://})
   */
  public static boolean isSentinel(String url) {
    return url.startsWith("redis-sentinel://") || url.startsWith("rediss-sentinel://");
  }

  /**
   * @param url a Redis URL, not {@code null}
   * @return whether it names a cluster ({@code redis-cluster://} or {@code rediss-cluster://})
   */
  public static boolean isCluster(String url) {
    return url.startsWith("redis-cluster://") || url.startsWith("rediss-cluster://");
  }

  /**
   * @param url a standalone or Sentinel URL, not {@code null}
   * @return the Lettuce URI it names
   * @throws IllegalArgumentException if {@code url} is not a valid Redis URL
   */
  public static RedisURI standalone(String url) {
    return RedisURI.create(url);
  }

  /**
   * Splits a cluster URL into one Lettuce URI per seed node.
   *
   * @param url a cluster URL, not {@code null}
   * @return the seed nodes, never empty
   * @throws IllegalArgumentException if {@code url} is not a cluster URL or names no host
   */
  public static List<RedisURI> clusterSeeds(String url) {
    if (!isCluster(url)) {
      throw new IllegalArgumentException("not a cluster URL: " + redact(url));
    }
    String scheme = url.startsWith("rediss-") ? "rediss" : "redis";
    String rest = url.substring(url.indexOf("://") + 3);
    int end = firstOf(rest, '/', '?');
    String authority = rest.substring(0, end);
    String tail = rest.substring(end);
    int at = authority.lastIndexOf('@');
    String userInfo = at >= 0 ? authority.substring(0, at + 1) : "";
    String hosts = authority.substring(at + 1);
    List<RedisURI> seeds = new ArrayList<>();
    for (String host : hosts.split(",")) {
      if (!host.isBlank()) {
        seeds.add(RedisURI.create(scheme + "://" + userInfo + host.trim() + tail));
      }
    }
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("cluster URL names no host: " + redact(url));
    }
    return seeds;
  }

  /**
   * @param url a Redis URL, or any text holding some, not {@code null}
   * @return the text with every password replaced by {@code ***}, for logs and messages (see
   *     {@link Secrets#redact})
   */
  public static String redact(String url) {
    return Secrets.redact(url);
  }

  private static int firstOf(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    if (i < 0) {
      return j < 0 ? s.length() : j;
    }
    return j < 0 ? i : Math.min(i, j);
  }
}
