package dev.weft.internal.redis;

import dev.weft.exception.WeftUnavailableException;

/**
 * The runtime's {@link WeftUnavailableException}, with what the gateway knows of the outage's
 * kind. Redis could not serve a command: it is unreachable, did not answer within the command
 * timeout, answered that it cannot serve this command ({@code LOADING}, {@code BUSY}, {@code
 * READONLY}, {@code OOM}, {@code NOPERM}, {@code NOAUTH}, ...: every {@link FailureKind#outage()
 * outage} kind), or recent failures opened the {@link RedisGateway}'s circuit breaker and the
 * command was refused without touching the network.
 *
 * <p>Every pattern applies its failure policy on this exception (caching calls the method
 * through, locks refuse, ...); the programmatic patterns let it reach their callers, who catch it
 * as the public {@link WeftUnavailableException} (which names no Lettuce type, so it keeps its name
 * under the agent's relocated Lettuce). Lettuce's {@code RedisException}s that the gateway passes
 * on are error replies from a live server (a wrong type, a failing script): bugs or
 * misconfiguration rather than an outage.
 *
 * <p>The gateway logs outages itself, once when they start and once when they end (see {@link
 * RedisGateway}); whoever catches this exception should log it at DEBUG at most.
 */
public class RedisUnavailableException extends WeftUnavailableException {

  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  /**
   * @param message what failed, naming the server (redacted), never {@code null}
   * @param cause the failure Lettuce reported, or the one that opened the breaker; may be {@code
   *     null}
   */
  public RedisUnavailableException(String message, Throwable cause) {
    this(message, cause, null);
  }

  /**
   * @param message what failed, naming the server (redacted), never {@code null}
   * @param cause the failure Lettuce reported, or the one that opened the breaker; may be {@code
   *     null}
   * @param kind what kind of outage, or {@code null} to take it from {@code cause}
   */
  public RedisUnavailableException(String message, Throwable cause, FailureKind kind) {
    super(Secrets.redact(message), Secrets.scrub(cause));
    FailureKind k = kind;
    if (k == null && cause != null) {
      k = RedisFailure.classify(cause);
    }
    this.kind = k != null && k.outage() ? k : FailureKind.CONNECTION;
  }

  /**
   * @return what kind of outage it is, never {@code null}; {@link FailureKind#CONNECTION} when
   *     nothing more precise is known (a closed runtime, an open breaker with no failure seen)
   */
  public FailureKind kind() {
    return kind;
  }
}
