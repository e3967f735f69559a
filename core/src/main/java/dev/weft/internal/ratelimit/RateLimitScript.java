package dev.weft.internal.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.Script;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ratelimit_decide.lua} for one request against a fixed list of limits and turns its
 * reply into a {@link RateLimitDecision}. The ARGV that describe the limits are encoded once.
 *
 * <h2>Denials are remembered</h2>
 *
 * A denial's retry-after is a lower bound of when the request could pass: other requests can only
 * consume more (push that moment later), never give permits back, and a key expires only once
 * forgetting it changes nothing. So after Redis denies a key, this process denies it again without
 * asking, for the same or more permits, until the retry-after has passed, counted from when the
 * denied request was <em>sent</em>, less 2 ms for Redis's millisecond rounding and 1% for clocks
 * running at different rates. A flood on a limited key then costs Redis one decision per
 * retry-after, and requests that cannot change anything never leave the process. Such a decision
 * repeats the remembered one, with its reset and decision time moved on by the time elapsed. At
 * most {@value #REMEMBERED} keys are remembered per limiter. The retry-after such a decision
 * reports is counted from when the denial was received, so that waiting it out finds a permit.
 */
public final class RateLimitScript {

  /** The six numbers of the decision; see the script's header. */
  private static final Script<long[]> DECIDE =
      Script.multi("ratelimit_decide", RateLimitScript::sixNumbers);

  static final int REMEMBERED = 10_000;
  private static final long ROUNDING_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /**
   * A denial by Redis: repeated locally until {@code until}, while its retry-after, reported
   * from {@code retryEnd} on, errs the other way (a caller waiting it out must find a permit).
   * Both are {@link System#nanoTime()}.
   */
  private record Denial(
      long until, long retryEnd, long permits, long remaining, long resetMillis, int limit,
      long decidedAtMillis, long receivedAt) {}

  /** Sent when no limit is a sliding log, the only one that uses the request id. */
  private static final String NO_REQUEST_ID = "-";

  private final RedisGateway redis;
  private final List<Limit> limits;
  private final String[] suffixes;
  private final byte[][] limitArgs;
  private final boolean needsRequestId;
  private final Cache<String, Denial> denials =
      Caffeine.newBuilder()
          .maximumSize(REMEMBERED)
          .expireAfter(Expiry.creating((String key, Denial d) ->
              Duration.ofNanos(Math.max(0, d.until() - System.nanoTime()))))
          .build();

  /**
   * @param redis the gateway, not {@code null}
   * @param limits the limits, not {@code null}, not empty, no duplicates
   */
  public RateLimitScript(RedisGateway redis, List<Limit> limits) {
    this.redis = redis;
    this.limits = List.copyOf(limits);
    this.suffixes = new String[limits.size()];
    this.needsRequestId =
        limits.stream().anyMatch(l -> l.algorithm() == RateLimitAlgorithm.SLIDING_WINDOW_LOG);
    Script.Call<long[]> described = DECIDE.keys();
    for (int i = 0; i < limits.size(); i++) {
      Limit limit = limits.get(i);
      suffixes[i] = RateLimitKeys.suffix(limit);
      described
          .arg(RateLimitKeys.algorithmName(limit))
          .arg(limit.permits())
          .arg(limit.windowMillis());
    }
    this.limitArgs = described.args();
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
   * @throws dev.weft.exception.WeftUnavailableException as {@link RedisGateway#run}
   */
  public RateLimitDecision decide(String userKey, long permits) {
    Denial remembered = denials.getIfPresent(userKey);
    if (remembered != null && permits >= remembered.permits()) {
      long now = System.nanoTime();
      if (now - remembered.until() < 0) {
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(now - remembered.receivedAt());
        return new RateLimitDecision(
            false,
            remembered.remaining(),
            Duration.ofMillis(Math.max(1, ceilMillis(remembered.retryEnd() - now))),
            Duration.ofMillis(Math.max(0, remembered.resetMillis() - elapsedMillis)),
            limits.get(remembered.limit()),
            Instant.ofEpochMilli(remembered.decidedAtMillis() + elapsedMillis));
      }
    }
    String tag = RateLimitKeys.hashTag(redis.keys(), userKey);
    String[] keys = new String[suffixes.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = tag + suffixes[i];
    }
    Script.Call<long[]> call =
        DECIDE.keys(keys)
            .arg(permits)
            .arg(needsRequestId ? requestId() : NO_REQUEST_ID)
            .args(limitArgs);
    long sent = System.nanoTime();
    long[] reply = redis.run(call);
    boolean allowed = reply[0] == 1;
    long retryMillis = reply[2];
    int limit = (int) reply[4];
    if (!allowed) {
      long valid = TimeUnit.MILLISECONDS.toNanos(retryMillis) - ROUNDING_NANOS;
      valid -= valid / 100;
      if (valid > 0) {
        long received = System.nanoTime();
        denials.put(userKey, new Denial(sent + valid,
            received + TimeUnit.MILLISECONDS.toNanos(retryMillis), permits, reply[1],
            reply[3], limit, reply[5], received));
      }
    }
    return new RateLimitDecision(
        allowed,
        reply[1],
        Duration.ofMillis(retryMillis),
        Duration.ofMillis(reply[3]),
        limits.get(limit),
        Instant.ofEpochMilli(reply[5]));
  }


  /** 128 random bits, hex: unique members for the sliding log's sorted sets. */
  private static String requestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
  }

  private static long ceilMillis(long nanos) {
    return (nanos + 999_999) / 1_000_000;
  }

  private static long[] sixNumbers(List<Object> reply) {
    if (reply.size() != 6) {
      throw new IllegalStateException("expected six integers");
    }
    long[] numbers = new long[6];
    for (int i = 0; i < 6; i++) {
      if (!(reply.get(i) instanceof Long value)) {
        throw new IllegalStateException("expected six integers");
      }
      numbers[i] = value;
    }
    return numbers;
  }
}
