package dev.weft.internal.redis;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Error replies that carry a fix ({@code OOM}, {@code NOPERM}, {@code NOAUTH}, {@code
 * READONLY}, ...; see {@link RedisFailure#fix}) are logged at WARN too, whether or not they open
 * the breaker (most do not): the first one of each kind and fix at once, then at most one per
 * {@link #REMINDER_INTERVAL} with the number held back, so an outage of that kind logs one line
 * and a long one a line a minute, never a line per call.
 */
final class OutageLog {

  /** How often a long outage is recalled at WARN. */
  static final Duration REMINDER_INTERVAL = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(RedisGateway.class);

  /** How many different fixes are remembered for throttling; more are logged at DEBUG only. */
  private static final int MAX_FIXES = 64;

  private final String server;
  private final KeySpace keys;
  /** Per kind and fix: when its next WARN may come, and how many were held back since the last. */
  private final Map<String, Throttle> fixes = new ConcurrentHashMap<>();
  private final Duration openWait;
  private final AtomicLong nextReminderNanos = new AtomicLong();
  private volatile long outageStartNanos;
  private volatile Throwable lastFailure;

  /**
   * @param server the redacted server URL, for messages
   * @param openWait how long the breaker stays open before it lets a call try again
   */
  OutageLog(String server, Duration openWait) {
    this(server, openWait, KeySpace.NONE);
  }

  /** @param keys the runtime's key space, which permission fixes name */
  OutageLog(String server, Duration openWait, KeySpace keys) {
    this.server = server;
    this.keys = keys;
    this.openWait = openWait;
  }

  /**
   * Notes a failure that counts against the breaker; call it before the breaker hears of it, so
   * that the WARN of the transition it may cause names it.
   */
  void failed(Throwable failure) {
    lastFailure = failure;
    log.debug("Redis at {} failed: {}", server, Secrets.redact(failure.toString()));
  }

  /**
   * Notes an outage-like failure, as {@link #failed(Throwable)} does, and logs at WARN what it
   * means and how to fix it when its kind carries a fix, at most once per {@link
   * #REMINDER_INTERVAL} for each kind and fix.
   *
   * @param kind the failure's kind, an outage
   * @param failure the failure
   */
  void failed(FailureKind kind, Throwable failure) {
    failed(failure);
    String fix = RedisFailure.fix(kind, failure, server, keys);
    if (fix == null) {
      return;
    }
    String key = kind + " " + fix;
    Throttle throttle = fixes.get(key);
    if (throttle == null) {
      if (fixes.size() >= MAX_FIXES) {
        return;
      }
      throttle = fixes.computeIfAbsent(key, k -> new Throttle());
    }
    long now = System.nanoTime();
    long next = throttle.nextWarnNanos.get();
    if (now - next >= 0
        && throttle.nextWarnNanos.compareAndSet(next, now + REMINDER_INTERVAL.toNanos())) {
      long held = throttle.heldBack.getAndSet(0);
      log.warn(
          "Redis at {} answered {}: {}{}",
          server, kind.name(), fix,
          held > 0 ? " (" + held + " more since the last warning)" : "");
    } else {
      throttle.heldBack.incrementAndGet();
    }
  }

  /** When the next WARN for one kind and fix may come. */
  private static final class Throttle {
    final AtomicLong nextWarnNanos = new AtomicLong(System.nanoTime());
    final AtomicLong heldBack = new AtomicLong();
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
    return Secrets.redact(text + TlsFailures.hint(failure));
  }
}
