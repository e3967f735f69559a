package dev.weft.annotation;

/**
 * How a rate limit counts requests ({@link RateLimited#algorithm()}, and {@code dev.weft.ratelimit.Limit} in the programmatic API). Every algorithm is decided by one Lua script per request,
 * on Redis's clock, and every key it writes expires once forgetting it changes nothing.
 */
public enum RateLimitAlgorithm {

  /**
   * A bucket of {@code permits} tokens, refilled continuously at {@code permits} per window; a
   * request takes tokens, so a full bucket allows a burst of {@code permits}. State: one hash
   * (tokens, time of last refill in server milliseconds).
   */
  TOKEN_BUCKET,

  /**
   * Exact: a sorted set of the times of the permits granted during the last window; a request is
   * allowed while fewer than {@code permits} entries lie within the window. Memory grows with
   * {@code permits} (one member per granted permit, never more than {@code permits}), and so
   * does the work of one request, so {@code permits} may be at most {@link #MAX_LOG_PERMITS};
   * use {@link #SLIDING_WINDOW_COUNTER} or {@link #GCRA} for larger limits.
   */
  SLIDING_WINDOW_LOG,

  /**
   * Approximate sliding window from two fixed-window counters: the count of the current window
   * plus the previous window's count weighted by how much of it the sliding window still covers.
   *
   * <p>Error bound: the estimate assumes the previous window's requests were spread uniformly. The
   * exact count of the sliding window lies between {@code current} and {@code current + previous};
   * the estimate is off by at most {@code previous * max(overlap, 1 - overlap) <= permits}. In
   * practice it denies slightly early when the previous window's requests came early in it and
   * admits slightly late ones when they came late: in the worst case (a burst at the very end of
   * one window, then steady requests through the next) a sliding interval of one window can see up
   * to {@code 2 * permits - 1} grants. A single fixed window never grants more than {@code
   * permits}. Memory is two counters whatever {@code permits} is.
   */
  SLIDING_WINDOW_COUNTER,

  /**
   * One counter per window aligned on the server clock (window number = server milliseconds /
   * window), expiring at the window's end. Cheapest; allows up to {@code 2 * permits} across a
   * window boundary.
   */
  FIXED_WINDOW,

  /**
   * Generic cell rate algorithm: one key holding the theoretical arrival time (TAT); emission
   * interval {@code T = window / permits}, burst tolerance {@code window - T}, so {@code permits}
   * requests may arrive at once and then one per {@code T}. Same behaviour as {@link
   * #TOKEN_BUCKET} with a single number of state. See the ATM Forum Traffic Management
   * Specification 4.0 (af-tm-0056.000, 1996), and Brandur Leach, "Rate Limiting, Cells, and GCRA"
   * (brandur.org/rate-limiting, 2015).
   */
  GCRA;

  /**
   * The most permits a {@link #SLIDING_WINDOW_LOG} limit may grant per window, and so the most
   * one request may take from it: the compiler (weft-processor) and the runtime refuse more. The
   * log keeps one sorted-set member per granted permit, added one {@code ZADD} at a time inside the
   * deciding script, during which Redis serves nobody else: 10,000 members took about 60 ms and
   * 1.2 MB on a busy two-core test machine; 100,000 took 1.5 s (beyond the default command
   * timeout of 1 s, so the caller fails while Redis still runs it) and 1,000,000 took 13 s and
   * 110 MB. The other algorithms keep one or two numbers whatever the permits.
   */
  public static final long MAX_LOG_PERMITS = 10_000;
}
