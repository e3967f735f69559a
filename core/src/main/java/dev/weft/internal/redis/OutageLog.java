package dev.weft.internal.redis;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the gateway's circuit-breaker transitions into a readable log: one WARN when an outage
 * begins (with the failure that began it and the server), a WARN reminder at most every {@link
 * #REMINDER_INTERVAL} while it lasts, one INFO when Redis answers again. Single failures and
 * refused calls are DEBUG. Logs under {@link RedisGateway}'s name, so one logger controls all of
 * it.
 */
final class OutageLog {

  /** How often a long outage is recalled at WARN. */
  static final Duration REMINDER_INTERVAL = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(RedisGateway.class);

  private final String server;
  private final Duration openWait;
  private final AtomicLong nextReminderNanos = new AtomicLong();
  private volatile long outageStartNanos;
  private volatile Throwable lastFailure;

  /**
   * @param server the redacted server URL, for messages
   * @param openWait how long the breaker stays open before it lets a call try again
   */
  OutageLog(String server, Duration openWait) {
    this.server = server;
    this.openWait = openWait;
  }

  /**
   * Notes a failure that counts against the breaker; call it before the breaker hears of it, so
   * that the WARN of the transition it may cause names it.
   */
  void failed(Throwable failure) {
    lastFailure = failure;
    log.debug("Redis at {} failed: {}", server, failure.toString());
  }

  /** @return the exception for a call that the open breaker refused */
  RedisUnavailableException refused() {
    Throwable cause = lastFailure;
    String message = "Redis at " + server + " is unavailable; the call was not sent";
    if (cause != null) {
      message += " (last failure: " + describe(cause) + ")";
    }
    log.debug(message);
    return new RedisUnavailableException(message, cause);
  }

  /**
   * @param agoMillis how long ago this thread waited out a timeout
   * @return the exception for a call refused because its thread has just waited out a timeout
   */
  RedisUnavailableException refusedAfterWait(long agoMillis) {
    Throwable cause = lastFailure;
    String message =
        "Redis at " + server + " kept this thread waiting " + agoMillis + " ms ago; the call was"
            + " not sent";
    log.debug(message);
    return new RedisUnavailableException(message, cause);
  }

  /** @param transition a transition of the gateway's breaker */
  void transitioned(StateTransition transition) {
    long now = System.nanoTime();
    switch (transition) {
      case CLOSED_TO_OPEN -> {
        outageStartNanos = now;
        nextReminderNanos.set(now + REMINDER_INTERVAL.toNanos());
        log.warn(
            "Redis at {} is unavailable ({}); Weft goes on without it, each annotation by its"
                + " failure policy (@Cached calls the method), and tries it again every {} ms",
            server, describe(lastFailure), openWait.toMillis());
      }
      case HALF_OPEN_TO_OPEN -> {
        long next = nextReminderNanos.get();
        if (now - next >= 0
            && nextReminderNanos.compareAndSet(next, now + REMINDER_INTERVAL.toNanos())) {
          log.warn(
              "Redis at {} is still unavailable after {} s ({})",
              server, TimeUnit.NANOSECONDS.toSeconds(now - outageStartNanos),
              describe(lastFailure));
        } else {
          log.debug("Redis at {} is still unavailable ({})", server, describe(lastFailure));
        }
      }
      case HALF_OPEN_TO_CLOSED ->
          log.info(
              "Redis at {} answers again after {} ms unavailable; Weft uses it again",
              server, TimeUnit.NANOSECONDS.toMillis(now - outageStartNanos));
      default -> log.debug("Redis at {}: circuit breaker {}", server, transition);
    }
  }

  /**
   * @return the exception's class and message, its root cause's message if that adds one, and for
   *     a TLS mistake what to change
   */
  static String describe(Throwable failure) {
    if (failure == null) {
      return "no failure recorded";
    }
    String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String rootMessage = root.getMessage();
    if (root != failure && rootMessage != null && !text.contains(rootMessage)) {
      text += " (" + rootMessage + ")";
    }
    return text + TlsFailures.hint(failure);
  }
}
