package dev.weft.internal.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.sync.Executions;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a server's {@code maxmemory} and {@code maxmemory-policy} once after the first connect and
 * warns when Redis may evict keys that are not cache entries.
 *
 * <h2>Design</h2>
 *
 * Weft keeps locks, rate limits, sessions, queues, streams, write-behind writes, counters,
 * leaderboards and Bloom filters in the same keyspace as cache entries. A cache entry that Redis
 * evicts is only a miss; a lock that it evicts lets a second process in, a queue or write-behind
 * stream that it evicts loses accepted work, and nothing reports it: Redis evicts silently. Which
 * keys may go depends on the policy, and only when {@code maxmemory} is set (0 means no limit):
 * <ul>
 *   <li>{@code allkeys-*}: any key, so every pattern's state;
 *   <li>{@code volatile-*}: keys with a TTL: held locks (with their fencing tokens), cache load
 *       locks, rate-limit state and sessions;
 *   <li>{@code noeviction}: none; writes fail with {@code OOM} instead, which every pattern
 *       already treats as an outage ({@link RedisFailure}).
 * </ul>
 *
 * <p>The check reads {@code INFO memory}, which has both settings and needs only {@code +info},
 * and falls back to {@code CONFIG GET}, which managed services often deny or rename. A server that
 * answers neither (an ACL without both, an unknown command) is left unchecked, logged at DEBUG:
 * the check never fails a connect and never runs on a caller's thread (the gateway runs it on its
 * connect thread, after the first connect has released the callers waiting for it). On a cluster
 * every master is read with {@code INFO memory} (no {@code CONFIG GET} fallback there), and the
 * warning names those that may evict. Each gateway checks once: the command server, and each
 * Redlock master, which holds locks.
 */
final class EvictionCheck {

  private static final Logger log = LoggerFactory.getLogger(EvictionCheck.class);

  /** What Weft keeps in Redis besides cache entries, for the {@code allkeys-*} warning. */
  static final String EVERY_PATTERN =
      "distributed locks, rate limits, sessions, queues, streams, write-behind writes, counters,"
          + " leaderboards and Bloom filters";

  /** What Weft keeps with a TTL besides cache entries, for the {@code volatile-*} warning. */
  static final String KEYS_WITH_TTL =
      "held distributed locks (and their fencing tokens), cache load locks, rate limits and"
          + " sessions";

  private static final String FIX =
      "run the Redis that Weft uses with maxmemory-policy noeviction (writes then fail with OOM"
          + " when memory is full, which Weft handles), or give caches a Redis instance of their"
          + " own with an allkeys-* policy";

  private EvictionCheck() {}

  /** A server's memory limit and eviction policy. */
  record Memory(long maxmemory, String policy) {

    /** @return whether Redis may evict keys that are not cache entries */
    boolean evicts() {
      return maxmemory > 0 && policy != null && !policy.equals("noeviction");
    }
  }

  /**
   * Reads the policy of the server (or every master of the cluster) behind {@code commands} and
   * logs one WARN when it may evict Weft's keys; never throws.
   *
   * @param commands the gateway's open connection, not {@code null}
   * @param server the server as messages name it (password redacted), not {@code null}
   */
  static void run(RedisClusterCommands<String, byte[]> commands, String server) {
    try {
      Map<String, Memory> found = read(commands, server);
      Map<String, Memory> evicting = new LinkedHashMap<>();
      found.forEach((node, memory) -> {
        if (memory.evicts()) {
          evicting.put(node, memory);
        }
      });
      if (evicting.isEmpty()) {
        log.debug("Redis at {}: {}; Weft's keys are not evicted", server, found);
        return;
      }
      log.warn(warning(server, evicting));
    } catch (RuntimeException e) {
      log.debug("Weft could not read the eviction policy of Redis at {} ({}); not checked",
          server, OutageLog.describe(e));
    }
  }

  /** @return the warning for the servers that may evict, with what is at risk and the fix */
  static String warning(String server, Map<String, Memory> evicting) {
    boolean allKeys = evicting.values().stream().anyMatch(m -> m.policy().startsWith("allkeys"));
    StringBuilder where = new StringBuilder();
    evicting.forEach((node, memory) -> {
      if (!where.isEmpty()) {
        where.append(", ");
      }
      where.append(node.equals(server) ? "" : node + ": ")
          .append("maxmemory-policy ").append(memory.policy())
          .append(", maxmemory ").append(memory.maxmemory());
    });
    String atRisk = allKeys
        ? "it may evict any key, not only cache entries: the state of " + EVERY_PATTERN
            + ", so held locks, accepted work and limits can vanish without an error"
        : "it may evict keys that have a TTL, not only cache entries: " + KEYS_WITH_TTL
            + ", so a second process can take a held lock and a limit can reset";
    return "Redis at " + server + " evicts keys when it reaches maxmemory (" + where + "): "
        + atRisk + "; " + FIX;
  }

  private static Map<String, Memory> read(
      RedisClusterCommands<String, byte[]> commands, String server) {
    Map<String, Memory> found = new LinkedHashMap<>();
    if (commands instanceof RedisAdvancedClusterCommands<String, byte[]> cluster) {
      Executions<String> infos = cluster.upstream().commands().info("memory");
      for (Map.Entry<RedisClusterNode, String> e : infos.asMap().entrySet()) {
        Memory memory = parse(e.getValue());
        if (memory != null) {
          RedisClusterNode node = e.getKey();
          found.put(node.getUri().getHost() + ":" + node.getUri().getPort(), memory);
        }
      }
      return found;
    }
    Memory memory = null;
    try {
      memory = parse(commands.info("memory"));
    } catch (RedisException e) {
      log.debug("Redis at {} refused INFO memory ({}); trying CONFIG GET", server,
          OutageLog.describe(e));
    }
    if (memory == null) {
      memory = new Memory(
          Long.parseLong(configGet(commands, "maxmemory")), configGet(commands, "maxmemory-policy"));
    }
    found.put(server, memory);
    return found;
  }

  private static String configGet(RedisClusterCommands<String, byte[]> commands, String name) {
    String value = commands.configGet(name).get(name);
    if (value == null) {
      throw new IllegalStateException("CONFIG GET " + name + " answered nothing");
    }
    return value;
  }

  /** @return the settings in an {@code INFO memory} reply, {@code null} if it lacks either */
  static Memory parse(String info) {
    if (info == null) {
      return null;
    }
    Long maxmemory = null;
    String policy = null;
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("maxmemory:")) {
        maxmemory = Long.parseLong(line.substring("maxmemory:".length()).trim());
      } else if (line.startsWith("maxmemory_policy:")) {
        policy = line.substring("maxmemory_policy:".length()).trim();
      }
    }
    return maxmemory == null || policy == null ? null : new Memory(maxmemory, policy);
  }
}
