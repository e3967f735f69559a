package dev.weft.pubsub;

import dev.weft.Weft;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.redis.RedisGateway;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes messages on Redis pub/sub channels, as JSON, for {@link Subscriber}s (in any process
 * sharing the Redis) to receive.
 *
 * <pre>{@code
 * Publisher publisher = weft.publisher();
 * long receivers = publisher.publish("prices", new Price("ACME", 42.0));
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * A plain {@code PUBLISH} through the runtime's one shared connection (a publish does not block,
 * unlike a subscription), so it has the gateway's timeout and circuit breaker. The payload is the
 * message's JSON, written for its runtime class, without type information, as every Weft value;
 * the receiving method's parameter type decides how it is read. Pub/sub delivers at most once, to
 * the subscribers connected at that moment; nothing is stored.
 *
 * <p>On a cluster the classic {@code PUBLISH} reaches the subscribers of every node (the cluster
 * bus forwards it), and the count it returns is that of the node it was sent to only. Sharded
 * pub/sub ({@code SPUBLISH}, which keeps a channel's traffic on its slot's shard) needs Redis 7
 * and is not used.
 *
 * <p>Instances are thread-safe.
 */
public final class Publisher {

  private final RedisGateway redis;
  private final ConcurrentHashMap<Class<?>, TypedCodec> codecs = new ConcurrentHashMap<>();

  private Publisher(Weft weft) {
    this.redis = WeftAccess.redis(weft);
  }

  static {
    PatternFactories.register(
        Publisher.class,
        (weft, a, b, c, d) -> of(weft));
  }

  /**
   * @param weft the runtime whose Redis carries the messages, not {@code null}
   * @return a publisher, never {@code null}; nothing is sent to Redis yet
   */
  static Publisher of(Weft weft) {
    return new Publisher(Objects.requireNonNull(weft, "weft"));
  }

  /**
   * Publishes {@code message} on {@code channel}.
   *
   * @param channel the channel's name, not {@code null} or empty
   * @param message the message, not {@code null}; the runtime's codec must be able to write it
   * @return how many subscribers received it (on a cluster: those connected to the node that
   *     took the publish)
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code channel} is empty or the message cannot be
   *     written as JSON
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public long publish(String channel, Object message) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(message, "message");
    if (channel.isEmpty()) {
      throw new IllegalArgumentException("a channel's name must not be empty");
    }
    byte[] payload = encode(message);
    return redis.execute(c -> c.publish(channel, payload));
  }

  private byte[] encode(Object message) {
    TypedCodec codec = codecs.computeIfAbsent(message.getClass(),
        type -> TypedCodec.of(redis.codec(), type));
    try {
      return codec.encode(message);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot write " + message.getClass().getName() + ": " + e.getMessage(), e);
    }
  }
}
