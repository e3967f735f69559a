package dev.weft.internal.ratelimit;

import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.internal.redis.LuaScript;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimitDecision;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs {@code ratelimit_decide.lua} for one request against a fixed list of limits and turns its
 * reply into a {@link RateLimitDecision}. The ARGV that describe the limits are encoded once.
 */
public final class RateLimitScript {

  private static final LuaScript DECIDE = LuaScript.load("ratelimit_decide");

  /** Sent when no limit is a sliding log, the only one that uses the request id. */
  private static final byte[] NO_REQUEST_ID = {'-'};

  private final RedisGateway redis;
  private final List<Limit> limits;
  private final String[] suffixes;
  private final byte[][] limitArgs;
  private final boolean needsRequestId;

  /**
   * @param redis the gateway, not {@code null}
   * @param limits the limits, not {@code null}, not empty, no duplicates
   */
  public RateLimitScript(RedisGateway redis, List<Limit> limits) {
    this.redis = redis;
    this.limits = List.copyOf(limits);
    this.suffixes = new String[limits.size()];
    this.limitArgs = new byte[limits.size() * 3][];
    this.needsRequestId =
        limits.stream().anyMatch(l -> l.algorithm() == RateLimitAlgorithm.SLIDING_WINDOW_LOG);
    for (int i = 0; i < limits.size(); i++) {
      Limit limit = limits.get(i);
      suffixes[i] = RateLimitKeys.suffix(limit);
      limitArgs[3 * i] = ascii(RateLimitKeys.algorithmName(limit));
      limitArgs[3 * i + 1] = ascii(Long.toString(limit.permits()));
      limitArgs[3 * i + 2] = ascii(Long.toString(limit.windowMillis()));
    }
  }

  /**
   * @param gateway a gateway
   * @return whether this script runs on {@code gateway}
   */
  public boolean uses(RedisGateway gateway) {
    return redis == gateway;
  }

  /**
   * Decides one request in one script call.
   *
   * @param userKey what is limited, not {@code null}, not empty
   * @param permits permits requested, between 1 and the smallest limit's permits
   * @return the decision, never {@code null}
   * @throws io.lettuce.core.RedisException as {@link RedisGateway#run}
   */
  public RateLimitDecision decide(String userKey, long permits) {
    String tag = RateLimitKeys.hashTag(userKey);
    String[] keys = new String[suffixes.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = tag + suffixes[i];
    }
    byte[][] args = new byte[2 + limitArgs.length][];
    args[0] = ascii(Long.toString(permits));
    args[1] = needsRequestId ? requestId() : NO_REQUEST_ID;
    System.arraycopy(limitArgs, 0, args, 2, limitArgs.length);
    List<Object> reply = redis.run(DECIDE, ScriptOutputType.MULTI, keys, args);
    return new RateLimitDecision(
        number(reply, 0) == 1,
        number(reply, 1),
        Duration.ofMillis(number(reply, 2)),
        Duration.ofMillis(number(reply, 3)),
        limits.get((int) number(reply, 4)),
        Instant.ofEpochMilli(number(reply, 5)));
  }

  /** 128 random bits, hex: unique members for the sliding log's sorted sets. */
  private static byte[] requestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    HexFormat hex = HexFormat.of();
    return ascii(hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong()));
  }

  private static long number(List<Object> reply, int index) {
    if (reply == null || reply.size() != 6 || !(reply.get(index) instanceof Long value)) {
      throw new IllegalStateException(
          "ratelimit_decide.lua answered " + reply + ", expected six integers");
    }
    return value;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
