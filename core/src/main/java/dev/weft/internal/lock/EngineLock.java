package dev.weft.internal.lock;

import dev.weft.exception.LockNotAcquiredException;
import dev.weft.lock.LockLease;
import dev.weft.lock.LockOptions;
import dev.weft.lock.WeftLock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** A {@link WeftLock} taken through a runtime's {@link LockEngine}. */
public final class EngineLock implements WeftLock {

  private final LockEngine engine;
  private final String key;
  private final LockOptions options;

  /**
   * @param engine the runtime's lock engine
   * @param key what is locked, not empty
   * @param options the lock's options
   */
  public EngineLock(LockEngine engine, String key, LockOptions options) {
    this.engine = engine;
    this.key = key;
    this.options = options;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public LockOptions options() {
    return options;
  }

  @Override
  public Optional<LockLease> tryAcquire() {
    return tryAcquire(Duration.ZERO);
  }

  @Override
  public Optional<LockLease> tryAcquire(Duration wait) {
    Hold hold = engine.acquire(key, options, checked(wait), "WeftLock", true);
    return hold == null ? Optional.empty() : Optional.of(hold.lease());
  }

  @Override
  public LockLease acquire(Duration wait) {
    return tryAcquire(wait)
        .orElseThrow(
            () ->
                new LockNotAcquiredException(
                    "WeftLock: the lock '" + key + "' is held by another owner; waited " + wait,
                    key,
                    wait,
                    null));
  }

  private static Duration checked(Duration wait) {
    Objects.requireNonNull(wait, "wait");
    if (wait.isNegative()) {
      throw new IllegalArgumentException("wait must not be negative, was " + wait);
    }
    return wait;
  }

  @Override
  public String toString() {
    return "WeftLock[" + key + ", " + options + "]";
  }
}
