package dev.weft;

import java.time.Duration;
import java.util.Objects;

/**
 * What a runtime knows of its Redis at one moment, for a readiness or health endpoint: whether a
 * {@code PING} through the runtime's own connection and circuit breaker was answered, how long it
 * took, and the breaker's state. See {@link Weft#health()}.
 *
 * <p>Down is not broken: caching and rate limits fail open, so an application serves (slower,
 * or unlimited) while Redis is down, and locks fail closed. An endpoint would typically report
 * the application as degraded, not dead.
 *
 * @param up whether Redis answered the {@code PING}
 * @param redis the Redis URL, password redacted, never {@code null}
 * @param roundTrip how long the {@code PING} took (the first of a runtime also opens its
 *     connection), {@code null} when it was not answered
 * @param circuit the circuit breaker's state after the {@code PING}, never {@code null}
 * @param problem why Redis is down, as people read it, never showing a password; {@code null}
 *     when up
 */
public record WeftHealth(
    boolean up, String redis, Duration roundTrip, Circuit circuit, String problem) {

  /**
   * @throws NullPointerException if {@code redis} or {@code circuit} is {@code null}
   */
  public WeftHealth {
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(circuit, "circuit");
  }

  /** The state of the runtime's circuit breaker in front of Redis. */
  public enum Circuit {
    /** Calls go to Redis: it answered lately, or it has not been tried yet. */
    CLOSED,
    /** Calls fail at once without going to Redis, until the breaker's wait is over. */
    OPEN,
    /** One probe call is finding out whether Redis answers again; others fail at once. */
    HALF_OPEN
  }
}
