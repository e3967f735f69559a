package dev.weft.exception;

import java.time.Duration;
import java.util.Objects;

/**
 * A call that needed a distributed lock did not get it: another holder kept it for the whole
 * wait, Redis could not be reached (locks fail closed: the guarded code did not run), or the
 * waiting thread was interrupted. The message says which; {@link #getCause()} holds the Redis
 * failure or the interruption.
 */
public class LockNotAcquiredException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;
  private final Duration waited;

  /**
   * @param message what happened, naming the method or lock, the key and why
   * @param key the lock's key as rendered (the user key, without Weft's prefix), not {@code null}
   * @param waited how long the call waited, not {@code null}
   * @param cause the Redis failure or interruption, or {@code null} if the lock was simply taken
   */
  public LockNotAcquiredException(String message, String key, Duration waited, Throwable cause) {
    super(message, cause);
    this.key = Objects.requireNonNull(key, "key");
    this.waited = Objects.requireNonNull(waited, "waited");
  }

  /** @return the lock's key as rendered, never {@code null} */
  public String key() {
    return key;
  }

  /** @return how long the call waited for the lock, never {@code null} */
  public Duration waited() {
    return waited;
  }
}
