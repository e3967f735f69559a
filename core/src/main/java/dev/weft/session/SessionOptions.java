package dev.weft.session;

import dev.weft.internal.OptionDurations;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a {@link Sessions} store keeps sessions, and how many one user may hold. Immutable:
 * start from {@link #defaults()}; each setter returns a copy. Durations are taken as {@link
 * Duration} or as the annotations' text ({@code "30m"}).
 *
 * <pre>{@code
 * SessionOptions options = SessionOptions.defaults()
 *     .idleTimeout(Duration.ofMinutes(30))
 *     .maxLifetime("12h")
 *     .maxSessionsPerUser(10);
 * }</pre>
 *
 * @param idleTimeout how long a session lives after its creation or its last read or update (the
 *     sliding expiry), at least 1 ms
 * @param maxLifetime the longest a session lives from its creation however often it is used;
 *     {@link Duration#ZERO} for no limit
 * @param maxSessionsPerUser the most live sessions one user holds in this store, 1 to {@value
 *     #MAX_SESSIONS_PER_USER}; creating one more destroys the user's session that would expire
 *     soonest (the least recently used, unless lifetimes differ)
 */
public record SessionOptions(Duration idleTimeout, Duration maxLifetime, int maxSessionsPerUser) {

  /** The default bound on one user's sessions. */
  public static final int DEFAULT_MAX_SESSIONS_PER_USER = 100;

  /** The largest bound on one user's sessions (destroying them all is one script call). */
  public static final int MAX_SESSIONS_PER_USER = 10_000;

  /**
   * @throws NullPointerException if a duration is {@code null}
   * @throws IllegalArgumentException if a value is out of range
   */
  public SessionOptions {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(maxLifetime, "maxLifetime");
    if (idleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException(
          "idleTimeout must be at least 1 ms, such as Duration.ofMinutes(30), was " + idleTimeout);
    }
    if (maxLifetime.isNegative() || (!maxLifetime.isZero() && maxLifetime.toMillis() < 1)) {
      throw new IllegalArgumentException(
          "maxLifetime must be at least 1 ms, or Duration.ZERO for no limit, was " + maxLifetime);
    }
    if (maxSessionsPerUser < 1 || maxSessionsPerUser > MAX_SESSIONS_PER_USER) {
      throw new IllegalArgumentException(
          "maxSessionsPerUser must be between 1 and " + MAX_SESSIONS_PER_USER + ", was "
              + maxSessionsPerUser);
    }
  }

  /** {@link #idleTimeout} of {@link #defaults()}: 30 minutes. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

  private static final SessionOptions DEFAULTS =
      new SessionOptions(DEFAULT_IDLE_TIMEOUT, Duration.ZERO, DEFAULT_MAX_SESSIONS_PER_USER);

  /**
   * @return a 30-minute idle timeout, no lifetime limit and at most {@value
   *     #DEFAULT_MAX_SESSIONS_PER_USER} sessions per user
   */
  public static SessionOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @param idleTimeout the sliding expiry, at least 1 ms
   * @return a copy with this idle timeout
   */
  public SessionOptions idleTimeout(Duration idleTimeout) {
    return new SessionOptions(idleTimeout, maxLifetime, maxSessionsPerUser);
  }

  /**
   * @param idleTimeout the same as duration text, e.g. {@code "30m"}
   * @return a copy with this idle timeout
   */
  public SessionOptions idleTimeout(String idleTimeout) {
    return idleTimeout(OptionDurations.parse("SessionOptions.idleTimeout", idleTimeout));
  }

  /**
   * @param maxLifetime the longest life from creation, at least 1 ms, or {@link Duration#ZERO}
   *     for no limit
   * @return a copy with this lifetime limit
   */
  public SessionOptions maxLifetime(Duration maxLifetime) {
    return new SessionOptions(idleTimeout, maxLifetime, maxSessionsPerUser);
  }

  /**
   * @param maxLifetime the same as duration text, e.g. {@code "12h"}; {@code "0s"} for no limit
   * @return a copy with this lifetime limit
   */
  public SessionOptions maxLifetime(String maxLifetime) {
    return maxLifetime(OptionDurations.parse("SessionOptions.maxLifetime", maxLifetime));
  }

  /**
   * @param most the most live sessions per user, 1 to {@value #MAX_SESSIONS_PER_USER}
   * @return a copy with this bound
   */
  public SessionOptions maxSessionsPerUser(int most) {
    return new SessionOptions(idleTimeout, maxLifetime, most);
  }
}
