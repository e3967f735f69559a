package dev.weft.lock;

import dev.weft.internal.OptionDurations;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WeftLock} holds its lock: the programmatic counterpart of
 * {@link dev.weft.annotation.DistributedLock}'s attributes. Immutable: start from {@link
 * #defaults()}; each setter returns a copy. Durations are taken as {@link Duration} or as the
 * annotations' text ({@code "30s"}).
 *
 * <pre>{@code
 * LockOptions options = LockOptions.defaults().lease(Duration.ofMinutes(2)).holdAtLeast("1m");
 * }</pre>
 *
 * @param lease how long the lock lives in Redis without renewal, positive
 * @param autoRenew whether the lease is extended (every third of it) while the lock is held
 * @param holdAtLeast the shortest time the lock stays taken after it was acquired, even if it is
 *     released sooner; {@link Duration#ZERO} for none
 * @param redlock whether to lock with Redlock on the runtime's independent masters
 * @param maxHold the longest a lock is held in all, renewals included: past it renewal stops and
 *     the lock expires (with a WARN) even if it was never released; {@link Duration#ZERO} (the
 *     default) for no bound. At least {@code lease} when set.
 */
public record LockOptions(
    Duration lease, boolean autoRenew, Duration holdAtLeast, boolean redlock, Duration maxHold) {

  /** The default lease: 30 seconds. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  private static final LockOptions DEFAULTS =
      new LockOptions(DEFAULT_LEASE, true, Duration.ZERO, false, Duration.ZERO);

  /**
   * @throws NullPointerException if a duration is {@code null}
   * @throws IllegalArgumentException if {@code lease} is not positive, is below a millisecond, or
   *     {@code holdAtLeast} is negative, or {@code maxHold} is negative or shorter than the lease
   */
  public LockOptions {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(holdAtLeast, "holdAtLeast");
    Objects.requireNonNull(maxHold, "maxHold");
    if (lease.toMillis() < 1) {
      throw new IllegalArgumentException("lease must be at least 1 ms, was " + lease);
    }
    if (holdAtLeast.isNegative()) {
      throw new IllegalArgumentException("holdAtLeast must not be negative, was " + holdAtLeast);
    }
    if (maxHold.isNegative() || !maxHold.isZero() && maxHold.compareTo(lease) < 0) {
      throw new IllegalArgumentException("maxHold must be zero (no bound) or at least the lease ("
          + lease + "), was " + maxHold);
    }
  }

  /** @return a 30-second lease, renewed while held, released at once, on the runtime's Redis */
  public static LockOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @param lease how long the lock lives without renewal, at least 1 ms
   * @return a copy with this lease
   */
  public LockOptions lease(Duration lease) {
    return new LockOptions(lease, autoRenew, holdAtLeast, redlock, maxHold);
  }

  /**
   * @param lease the same as duration text, e.g. {@code "2m"}
   * @return a copy with this setting
   */
  public LockOptions lease(String lease) {
    return lease(OptionDurations.parse("LockOptions.lease", lease));
  }

  /**
   * @param autoRenew whether to extend the lease while held
   * @return a copy with this setting
   */
  public LockOptions autoRenew(boolean autoRenew) {
    return new LockOptions(lease, autoRenew, holdAtLeast, redlock, maxHold);
  }

  /**
   * @param holdAtLeast the shortest hold, zero or positive
   * @return a copy with this setting
   */
  public LockOptions holdAtLeast(Duration holdAtLeast) {
    return new LockOptions(lease, autoRenew, holdAtLeast, redlock, maxHold);
  }

  /**
   * @param holdAtLeast the same as duration text, e.g. {@code "1m"}
   * @return a copy with this setting
   */
  public LockOptions holdAtLeast(String holdAtLeast) {
    return holdAtLeast(OptionDurations.parse("LockOptions.holdAtLeast", holdAtLeast));
  }

  /**
   * @param redlock whether to use Redlock on the runtime's independent masters
   * @return a copy with this setting
   */
  public LockOptions redlock(boolean redlock) {
    return new LockOptions(lease, autoRenew, holdAtLeast, redlock, maxHold);
  }

  /**
   * @param maxHold the longest total hold, renewals included, at least the lease; {@link
   *     Duration#ZERO} for no bound
   * @return a copy with this setting
   */
  public LockOptions maxHold(Duration maxHold) {
    return new LockOptions(lease, autoRenew, holdAtLeast, redlock, maxHold);
  }

  /**
   * @param maxHold the same as duration text, e.g. {@code "10m"}
   * @return a copy with this setting
   */
  public LockOptions maxHold(String maxHold) {
    return maxHold(OptionDurations.parse("LockOptions.maxHold", maxHold));
  }
}
