package dev.weft.sample.web;

import dev.weft.Weft;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimitDecision;
import dev.weft.ratelimit.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@value #REQUESTS_PER_SECOND} API requests per second per client address, decided in
 * Redis for every instance at once (Weft's programmatic {@link RateLimiter}, GCRA). The
 * programmatic form is used here, not {@code @RateLimited}, because the HTTP layer wants the whole
 * decision, to send {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code
 * RateLimit-Reset} on every response, not only on refusals.
 *
 * <p>When Redis cannot decide, the request is let through without headers (availability first,
 * as {@code @RateLimited}'s default), counted in {@code sample.ratelimit.ip{outcome=undecided}},
 * and logged once per outage.
 */
public final class IpRateLimit {

  /** Requests one client address may send per second, in bursts of up to this many. */
  public static final int REQUESTS_PER_SECOND = 20;

  private static final Logger LOG = LoggerFactory.getLogger(IpRateLimit.class);

  private final RateLimiter limiter;
  private final Counter allowed;
  private final Counter denied;
  private final Counter undecided;
  private final AtomicBoolean failing = new AtomicBoolean();

  /**
   * @param weft the runtime whose Redis holds the limits, not {@code null}
   * @param registry where decisions are counted, as {@code sample.ratelimit.ip}
   */
  public IpRateLimit(Weft weft, MeterRegistry registry) {
    this.limiter =
        weft.rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, REQUESTS_PER_SECOND,
            Duration.ofSeconds(1)));
    this.allowed = outcome(registry, "allowed");
    this.denied = outcome(registry, "denied");
    this.undecided = outcome(registry, "undecided");
  }

  /**
   * @param client the client's address
   * @return the decision, or empty if Redis could not decide (the request goes on)
   */
  Optional<RateLimitDecision> decide(String client) {
    try {
      RateLimitDecision decision = limiter.tryAcquire("weft-sample:ip:" + client);
      (decision.allowed() ? allowed : denied).increment();
      if (failing.compareAndSet(true, false)) {
        LOG.info("Per-address rate limits are decided again");
      }
      return Optional.of(decision);
    } catch (RuntimeException e) {
      undecided.increment();
      if (failing.compareAndSet(false, true)) {
        LOG.warn("Per-address rate limits cannot be decided ({}); requests pass unlimited until"
            + " Redis answers", e.toString());
      }
      return Optional.empty();
    }
  }

  private static Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder("sample.ratelimit.ip")
        .description("Per-address rate-limit decisions")
        .tag("outcome", outcome)
        .register(registry);
  }
}
