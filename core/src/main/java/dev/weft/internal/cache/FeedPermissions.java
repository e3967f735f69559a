package dev.weft.internal.cache;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.pubsub.api.sync.RedisPubSubCommands;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the runtime's Redis user may not do of what Weft needs, found once per connection of the
 * change feed, before it subscribes.
 *
 * <h2>Design</h2>
 *
 * On Redis 7 {@code ACL DRYRUN <user> <command> <args>} answers for a command without running
 * it: Weft asks it for {@code PUBLISH} and {@code SUBSCRIBE} on the change channel (notifications)
 * for {@code EVALSHA} and {@code EVAL} (every script), and for a {@code SET} of a key of the
 * runtime's key space (its prefix, {@code ~<prefix>*}). New users of Redis 7 get {@code
 * resetchannels} by default ({@code acl-pubsub-default}), so a user made for an application
 * usually has every key and command but no channel: writes work, notifications do not. Where
 * {@code ACL DRYRUN} is missing (Redis 6.2) or the user may not run {@code ACL}, a {@code PUBLISH}
 * of a key nobody uses and an {@code EXISTS} of that key are the probes, and the feed's own {@code
 * SUBSCRIBE} tells the rest. What
 * is missing becomes one line naming the {@code ACL SETUSER} rule that grants it; the password is
 * never part of it.
 */
final class FeedPermissions {

  private static final String ZERO_SHA = "0".repeat(40);
  private static final Pattern COMMAND = Pattern.compile("'([A-Za-z|_-]+)' command");

  /** What one user may not do; {@link #none()} when nothing is missing. */
  static final class Missing {
    private final String user;
    private final String channel;
    private final String keyPattern;
    private final List<String> refusals = new ArrayList<>();
    private final Set<String> rules = new LinkedHashSet<>();
    private boolean notifications;
    private boolean scripts;
    private boolean keys;

    Missing(String user, String channel) {
      this(user, channel, "~*");
    }

    /** @param keyPattern the ACL pattern of the runtime's keys, such as {@code ~orders:*} */
    Missing(String user, String channel, String keyPattern) {
      this.user = user;
      this.channel = channel;
      this.keyPattern = keyPattern;
    }

    /**
     * @param command what was refused, such as {@code PUBLISH}
     * @param why Redis's answer
     */
    void refused(String command, String why) {
      refusals.add(command + " (" + why.trim() + ")");
      String c = command.toUpperCase(Locale.ROOT);
      boolean notify = c.equals("PUBLISH") || c.equals("SUBSCRIBE");
      boolean key = !notify && why.contains(" key");
      notifications |= notify;
      keys |= key;
      scripts |= !notify && !key;
      if (why.contains("channel")) {
        rules.add("&" + channel);
      } else if (key) {
        rules.add(keyPattern);
      } else {
        Matcher m = COMMAND.matcher(why);
        rules.add("+" + (m.find() ? m.group(1) : c).toLowerCase(Locale.ROOT));
      }
    }

    /** @return whether nothing is missing */
    boolean none() {
      return refusals.isEmpty();
    }

    /** @return whether publishing or subscribing on the change channel is refused */
    boolean notifications() {
      return notifications;
    }

    /** @return whether the user may publish: some notification is refused, and it is publish */
    boolean publishRefused() {
      return refusals.stream().anyMatch(r -> r.startsWith("PUBLISH"));
    }

    /** @return the one line that says what is missing, what it costs, and the fix */
    String describe() {
      StringBuilder line = new StringBuilder("Redis refuses Weft's user '").append(user)
          .append("': ").append(String.join(", ", refusals)).append(". ");
      if (notifications) {
        line.append("Weft notifications are off: writes are stored, but near caches serve nothing"
            + " locally and waiters for locks, queues and loads poll instead of being woken. ");
      }
      if (scripts) {
        line.append("Weft's scripts cannot run, so most patterns fail. ");
      }
      if (keys) {
        line.append("Weft cannot write its keys (").append(keyPattern.substring(1))
            .append("), so most patterns fail. ");
      }
      line.append("Grant it with: ACL SETUSER ").append(user).append(' ')
          .append(String.join(" ", rules));
      if (rules.contains("&" + channel)) {
        line.append(" (or allchannels)");
      }
      return line.toString();
    }
  }

  private FeedPermissions() {}

  /**
   * @param c a connection of the user, not yet subscribed
   * @param channel the change channel
   * @param probe what a probing {@code PUBLISH} sends: a key of the runtime's space nobody uses
   * @param keyPattern the ACL pattern of the runtime's keys, such as {@code ~orders:*}
   * @param fallbackUser the user named by the URL, for when Redis does not say
   * @return what is missing, never {@code null}
   * @throws io.lettuce.core.RedisException if the connection fails
   */
  static Missing check(
      RedisPubSubCommands<String, String> c, String channel, String probe, String keyPattern,
      String fallbackUser) {
    String user = null;
    try {
      user = c.aclWhoami();
    } catch (RedisCommandExecutionException e) {
      // ACL not allowed for this user: the URL's user is the best guess
    }
    if (user != null) {
      Missing missing = new Missing(user, channel, keyPattern);
      try {
        dryRun(c, missing, user, "PUBLISH", channel, probe);
        dryRun(c, missing, user, "SUBSCRIBE", channel);
        dryRun(c, missing, user, "EVALSHA", ZERO_SHA, "0");
        dryRun(c, missing, user, "EVAL", "return 1", "0");
        dryRun(c, missing, user, "SET", probe, "1");
        return missing;
      } catch (RedisCommandExecutionException e) {
        // no ACL DRYRUN (Redis 6.2), or not allowed: probe instead
      }
    }
    Missing missing = new Missing(user != null ? user : fallbackUser, channel, keyPattern);
    try {
      c.publish(channel, probe);
    } catch (RedisCommandExecutionException e) {
      if (isNoPerm(e)) {
        missing.refused("PUBLISH", e.getMessage());
      } else {
        throw e;
      }
    }
    try {
      c.exists(probe);
    } catch (RedisCommandExecutionException e) {
      if (isNoPerm(e)) {
        missing.refused("EXISTS", e.getMessage());
      } else {
        throw e;
      }
    }
    return missing;
  }

  /** @return whether Redis refused a command for want of a permission */
  static boolean isNoPerm(RedisCommandExecutionException e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOPERM");
  }

  private static void dryRun(
      RedisPubSubCommands<String, String> c, Missing missing, String user, String command,
      String... args) {
    String answer = c.aclDryRun(user, command, args);
    if (answer != null && !answer.equalsIgnoreCase("OK")) {
      missing.refused(command, answer);
    }
  }
}
