package dev.weft.internal.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
 */
public final class RedisUrls {

  /** The URL used when nothing is configured. */
  public static final String DEFAULT_URL = "redis://localhost:6379";

  private RedisUrls() {}

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
   * @return the URLs, trimmed, without empty items; empty if neither is set
   */
  static List<String> redlock(String env, String systemProperty) {
    String list = env != null && !env.isBlank() ? env : systemProperty;
    if (list == null || list.isBlank()) {
      return List.of();
    }
    return Arrays.stream(list.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
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
   * @param url a Redis URL, not {@code null}
   * @return the URL with any password replaced by {@code ***}, for logs and messages
   */
  public static String redact(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return url;
    }
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    String user = colon >= 0 ? userInfo.substring(0, colon) + ":***" : "***";
    return url.substring(0, scheme + 3) + user + url.substring(at);
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
