package dev.weft.exception;

/**
 * Redis could not serve a call: it is unreachable, did not answer in time, answered that it cannot
 * serve now (loading, busy, read-only, out of memory, refused credentials), or recent failures
 * opened Weft's circuit breaker and the call was refused without touching the network.
 *
 * <p>Woven methods apply their own failure policy instead (a {@code @Cached} method runs its body,
 * a {@code @DistributedLock} refuses with {@link LockNotAcquiredException}, a
 * {@code @RateLimited} method follows {@code onRedisFailure}). The programmatic patterns, which
 * have no policy of their own, throw this exception, so the caller decides what an outage means
 * for its call. The runtime logs an outage once when it starts and once when it ends: whoever
 * catches this exception should log it at DEBUG at most.
 *
 * <p>Other failures of a live Redis (an error reply to a wrong command or type, a script error)
 * are bugs or misconfiguration rather than an outage, and are not this exception.
 */
public class WeftUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the server (without credentials), never {@code null}
   * @param cause the failure of the Redis client, or the one that opened the circuit breaker;
   *     may be {@code null}
   */
  public WeftUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
