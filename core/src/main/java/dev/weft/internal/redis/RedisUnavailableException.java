package dev.weft.internal.redis;

import io.lettuce.core.RedisException;

/**
 * Redis could not serve a command: it is unreachable, did not answer within the command timeout,
 * answered that it cannot serve right now ({@code LOADING}, {@code BUSY}, ...), or recent failures
 * opened the {@link RedisGateway}'s circuit breaker and the command was refused without touching
 * the network.
 *
 * <p>Every pattern applies its failure policy on this exception (caching calls the method
 * through, locks refuse, ...). It is a {@link RedisException}, so code that catches Lettuce's
 * exceptions keeps working. Other {@code RedisException}s that the gateway passes on are error
 * replies from a live server (a wrong type, a failing script): bugs or misconfiguration rather
 * than an outage.
 *
 * <p>The gateway logs outages itself, once when they start and once when they end (see {@link
 * RedisGateway}); whoever catches this exception should log it at DEBUG at most.
 */
public class RedisUnavailableException extends RedisException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the server (redacted), never {@code null}
   * @param cause the failure Lettuce reported, or the one that opened the breaker; may be {@code
   *     null}
   */
  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
