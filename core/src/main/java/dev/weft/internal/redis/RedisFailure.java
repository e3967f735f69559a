package dev.weft.internal.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns whatever a Redis call threw into a {@link FailureKind}, and says for each kind what went
 * wrong and how to fix it. The one place that reads Redis's error replies; the gateway asks it
 * about every failure.
 *
 * <h2>Design</h2>
 *
 * <p><b>Outage or defect.</b> A call fails either because Redis cannot serve it now or because
 * something is wrong with Weft or its data. The first kind is an outage for every pattern: caches
 * call the method, locks refuse, {@code @RateLimited} applies its {@code onRedisFailure}, and the
 * gateway throws {@link RedisUnavailableException}. That covers the transport (the connection
 * refused or lost, a timeout, a command Lettuce rejected unsent) and the replies of a server that
 * cannot serve this call: {@code LOADING}, {@code BUSY}, {@code MASTERDOWN}, {@code CLUSTERDOWN},
 * {@code TRYAGAIN}, {@code READONLY}, {@code OOM}, {@code NOAUTH}, {@code WRONGPASS} and {@code
 * NOPERM}. The last ones are configuration, not weather (the memory policy, a failover, the
 * password, the ACL), but the call is just as unservable, and a policy that said "allow" for a
 * lost connection and let the same call through silently on {@code OOM} lifted the very limits
 * that a full Redis should keep. What the reply adds is a fix, which the gateway logs (see {@link
 * #fix}). A defect is {@code WRONGTYPE} (another program writes a key of Weft's), a script that
 * fails of itself, or any other reply: retrying or falling back would hide it, so it reaches the
 * caller as the {@link RedisException} it is (caches, whose policy is to call the method, log it
 * at WARN instead).
 *
 * <p><b>The breaker.</b> The circuit breaker exists to spare callers a timeout each while Redis
 * does not answer, and it refuses every command once open, reads too. So it counts what makes
 * every command fail: the transport kinds, {@code LOADING}, {@code BUSY}, {@code MASTERDOWN},
 * {@code CLUSTERDOWN}, {@code READONLY} (a replica in place of the master: the breaker's probe
 * after its wait then tries a reopened connection) and {@code NOAUTH}/{@code WRONGPASS} (no
 * command can run). It ignores {@code OOM}, {@code NOPERM} and {@code TRYAGAIN}: the server
 * answers them at once, so they cost no caller a wait, and it still serves other commands (reads
 * at {@code maxmemory}, the commands and keys the ACL grants, the slots not in migration); opening
 * the breaker would turn a partial failure into a full one. Defects count as successes: the
 * server answered.
 *
 * <p><b>Reading replies.</b> An error reply starts with its code ({@code OOM command not
 * allowed...}). Redis 7 keeps the code of an error raised by {@code redis.call} inside a script
 * and appends {@code script: <sha>, on @user_script:1.}; Redis 6 wraps it in {@code ERR Error
 * running script (call to f_<sha>): @user_script:1: -OOM ...}, the code after a dash (a command
 * the server refused) or after the line number (an error the command answered). ACL
 * refusals inside a script are {@code ERR The user executing the script can't ...} on Redis 7.0,
 * the same text inside {@code ERR Error running script ...} on Redis 6.2, and {@code NOPERM ...}
 * from 7.2. Lettuce wraps a failed handshake (a wrong password) in a
 * {@link RedisConnectionException} whose cause is the reply, so causes are searched too.
 */
public final class RedisFailure {

  private static final Map<String, FailureKind> CODES =
      Map.ofEntries(
          Map.entry("LOADING", FailureKind.LOADING),
          Map.entry("BUSY", FailureKind.BUSY),
          Map.entry("MASTERDOWN", FailureKind.MASTERDOWN),
          Map.entry("CLUSTERDOWN", FailureKind.CLUSTERDOWN),
          Map.entry("TRYAGAIN", FailureKind.TRYAGAIN),
          Map.entry("READONLY", FailureKind.READONLY),
          Map.entry("OOM", FailureKind.OOM),
          Map.entry("NOAUTH", FailureKind.NOAUTH),
          Map.entry("WRONGPASS", FailureKind.WRONGPASS),
          Map.entry("NOPERM", FailureKind.NOPERM),
          Map.entry("WRONGTYPE", FailureKind.WRONGTYPE));

  /**
   * A code inside a Redis 6 script error: {@code @user_script:1: -OOM command...} for what the
   * server refused to run, {@code @user_script:1: WRONGTYPE Operation...} for what the command
   * answered.
   */
  private static final Pattern NESTED_CODE = Pattern.compile("(?:-|@user_script:\\d+: )([A-Z]+) ");

  private static final Pattern COMMAND = Pattern.compile("run the '([^']+)' command");
  private static final Pattern USER = Pattern.compile("^NOPERM User (\\S+) has no");
  private static final Pattern URL_USER = Pattern.compile("^[a-z+-]+://([^:@/,]+):[^@/]*@");

  private RedisFailure() {}

  /**
   * @param failure what a Redis call threw, not {@code null}
   * @return its kind, never {@code null}; {@link FailureKind#OTHER} for what is not Redis's
   */
  public static FailureKind classify(Throwable failure) {
    if (failure instanceof RedisUnavailableException unavailable) {
      return unavailable.kind();
    }
    FailureKind replied = null;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RedisCommandExecutionException) {
        replied = ofReply(t.getMessage());
        break;
      }
    }
    if (failure instanceof RedisConnectionException) {
      // a handshake refused for a reason with a fix, else a connection that could not be opened
      // (such as "ERR max number of clients reached")
      return replied != null && replied.outage() ? replied : FailureKind.CONNECTION;
    }
    if (replied != null) {
      return replied;
    }
    if (failure instanceof RedisCommandTimeoutException) {
      return FailureKind.TIMEOUT;
    }
    if (failure instanceof RedisException) {
      String message = String.valueOf(failure.getMessage());
      // "Connection disconnected", "Connection closed": the command was on a connection that went
      // away; "Currently not connected. Commands are rejected." and "Request queue size exceeded"
      // (or "Internal stack size exceeded"): Lettuce did not send it
      return message.startsWith("Connection") ? FailureKind.CONNECTION : FailureKind.REJECTED;
    }
    return FailureKind.OTHER;
  }

  /**
   * @param reply the message of an error reply, may be {@code null}
   * @return its kind, never {@code null}
   */
  static FailureKind ofReply(String reply) {
    if (reply == null || reply.isEmpty()) {
      return FailureKind.OTHER;
    }
    int space = reply.indexOf(' ');
    String code = space < 0 ? reply : reply.substring(0, space);
    FailureKind kind = CODES.get(code);
    if (kind != null) {
      return kind;
    }
    if (!code.equals("ERR")) {
      return FailureKind.OTHER;
    }
    if (reply.contains("The user executing the script can't")) {
      return FailureKind.NOPERM;
    }
    if (reply.startsWith("ERR AUTH") || reply.contains("invalid username-password pair")) {
      return FailureKind.WRONGPASS;
    }
    if (reply.contains("Error running script") || reply.contains("user_script")) {
      Matcher nested = NESTED_CODE.matcher(reply);
      while (nested.find()) {
        FailureKind inner = CODES.get(nested.group(1));
        if (inner != null) {
          return inner;
        }
      }
      return FailureKind.SCRIPT;
    }
    return FailureKind.OTHER;
  }

  /**
   * What a WARN about {@code kind} should say: what the reply means and what to change. Never
   * holds a password: it is built from the reply's text (Redis never echoes a password) and the
   * URL's user name.
   *
   * @param kind the failure's kind, not {@code null}
   * @param failure the failure, for details such as the missing permission, not {@code null}
   * @param url the server's URL (redacted or not), for the ACL user's name, may be {@code null}
   * @return the cause and the fix, or {@code null} for kinds that the outage log describes by
   *     itself (connection, timeout, rejected) and for defects
   */
  public static String fix(FailureKind kind, Throwable failure, String url) {
    return fix(kind, failure, url, KeySpace.NONE);
  }

  /**
   * As {@link #fix(FailureKind, Throwable, String)}, for a runtime whose keys and change channel
   * are in {@code keys}: a missing permission names its channel and key pattern.
   *
   * @param keys the runtime's key space, not {@code null}
   * @return the cause and the fix, or {@code null}
   */
  public static String fix(FailureKind kind, Throwable failure, String url, KeySpace keys) {
    return switch (kind) {
      case OOM ->
          "Redis is out of memory under maxmemory-policy noeviction (or a volatile-* policy with"
              + " no key to evict), so it refuses writes: raise maxmemory, or use a volatile-* or"
              + " allkeys-* policy (allkeys-lru, allkeys-lfu) for a cache-only Redis; until then"
              + " each annotation applies its failure policy";
      case NOPERM -> noPermission(replyOf(failure), url, keys);
      case NOAUTH, WRONGPASS ->
          "the password/ACL user is wrong or was rotated: the server answered "
              + kind.name() + "; put the current user and password in the Redis URL"
              + " (redis://user:password@host:port, or WEFT_REDIS_URL) and restart; until then"
              + " each annotation applies its failure policy";
      case READONLY ->
          "connected to a replica (failover?): writes are refused, so Weft reopens its"
              + " connection to find the master again (at most once a second); if the URL names"
              + " a replica, point it at the master or at Sentinel";
      case TRYAGAIN ->
          "a cluster slot is being migrated and the keys of one command are split across nodes"
              + " for now; nothing to fix unless it lasts after the resharding";
      case LOADING -> "Redis is loading its data set after a restart and serves again when done";
      case BUSY ->
          "a script or function runs past busy-reply-threshold (lua-time-limit) and blocks the"
              + " server: SCRIPT KILL or FUNCTION KILL, and shorten it";
      case MASTERDOWN ->
          "this replica lost its master (replica-serve-stale-data no): point Weft at the master"
              + " or at Sentinel";
      case CLUSTERDOWN ->
          "the cluster cannot serve (CLUSTER INFO shows its state and uncovered slots)";
      case CONNECTION, TIMEOUT, REJECTED, WRONGTYPE, SCRIPT, OTHER -> null;
    };
  }

  private static String noPermission(String reply, String url, KeySpace keys) {
    String user = user(reply, url);
    String grant;
    String missing;
    Matcher command = COMMAND.matcher(reply);
    if (command.find()) {
      String name = command.group(1).toLowerCase(Locale.ROOT);
      missing = "the command '" + name + "'";
      grant = "+" + name;
    } else if (reply.contains("channel")) {
      missing = "the channel " + keys.channel();
      grant = "&" + keys.channel();
    } else if (reply.contains("key")) {
      missing = "a key";
      grant = keys.prefix().isEmpty()
          ? "~" + KeySpace.ROOT + "* and ~ of your @Cached key patterns (or ~*)"
          : keys.aclKeyPattern() + " (every key of the key prefix " + keys.prefix() + ")";
    } else {
      missing = "a command that a script calls";
      grant = "+@read +@write +@scripting +publish";
    }
    return "the ACL user '" + user + "' may not use " + missing + ": grant it with ACL SETUSER "
        + user + " " + grant + " (the server answered: " + firstLine(reply) + ")";
  }

  private static String user(String reply, String url) {
    Matcher inReply = USER.matcher(reply);
    if (inReply.find()) {
      return inReply.group(1);
    }
    if (url != null) {
      Matcher inUrl = URL_USER.matcher(url);
      if (inUrl.find()) {
        return inUrl.group(1);
      }
    }
    return "default";
  }

  private static String replyOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RedisCommandExecutionException) {
        return String.valueOf(t.getMessage());
      }
    }
    return String.valueOf(failure.getMessage());
  }

  private static String firstLine(String reply) {
    int script = reply.indexOf(" script: ");
    return script < 0 ? reply : reply.substring(0, script);
  }
}
