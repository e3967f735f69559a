package dev.weft.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The baseline: GCRA written by hand as a short Lua script, called with {@code EVALSHA} on one
 * shared Lettuce connection. It keeps one number per key (the theoretical arrival time, in
 * milliseconds of Redis's clock) with a TTL, as Weft's GCRA does, without Weft's extras (several
 * limits per call, remaining/retry-after/reset in the reply, key escaping).
 */
final class HandwrittenGcra implements Limiter {

  private static final String SCRIPT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
      local window = tonumber(ARGV[1])
      local tat = tonumber(redis.call('GET', KEYS[1])) or now
      if tat < now then tat = now end
      local next_tat = tat + window / tonumber(ARGV[2])
      if next_tat - now > window then return 0 end
      redis.call('SET', KEYS[1], string.format('%.3f', next_tat), 'PX', math.ceil(next_tat - now))
      return 1
      """;

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final String sha;
  private final String[] args;

  /**
   * @param url the Redis URL, Lettuce syntax
   * @param permits permits per window
   * @param windowMillis the window
   */
  HandwrittenGcra(String url, long permits, long windowMillis) {
    client = RedisClient.create(url);
    connection = client.connect();
    redis = connection.sync();
    sha = redis.scriptLoad(SCRIPT);
    args = new String[] {Long.toString(windowMillis), Long.toString(permits)};
  }

  @Override
  public boolean tryAcquire(String key) {
    Long granted = redis.evalsha(sha, ScriptOutputType.INTEGER, new String[] {"hw:" + key}, args);
    return granted == 1L;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
