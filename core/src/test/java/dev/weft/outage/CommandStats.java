package dev.weft.outage;

import io.lettuce.core.api.sync.RedisServerCommands;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a Redis server has executed, from {@code INFO commandstats} (cumulative per server). */
public final class CommandStats {

  private CommandStats() {}

  /**
   * @param redis a connection to the server
   * @param command the command's name in lower case, such as {@code evalsha}
   * @return how many times the server ran it since its statistics were last reset
   */
  public static long calls(RedisServerCommands<String, String> redis, String command) {
    // the calls= right after the name: later fields (rejected_calls, failed_calls) end alike
    Matcher m = Pattern.compile("(?m)^cmdstat_" + Pattern.quote(command) + ":calls=(\\d+)")
        .matcher(redis.info("commandstats"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
