package dev.weft.pubsub;

/**
 * One handler subscribed through a {@link Subscriber}: a channel or a pattern and what receives
 * its messages. Closing it stops the deliveries to this handler; the subscriber unsubscribes from
 * Redis when the last handler of a channel or pattern goes.
 */
public interface Subscription extends AutoCloseable {

  /** @return the channel's name or the pattern, never {@code null} */
  String topic();

  /** @return whether {@link #topic()} is a glob pattern ({@code PSUBSCRIBE}) */
  boolean isPattern();

  /** @return what receives the messages, for logs: a method's name or a description */
  String handler();

  /**
   * Stops the deliveries to this handler. Idempotent.
   *
   * @throws io.lettuce.core.RedisException if the unsubscribe could not be sent; the handler is
   *     removed all the same
   */
  @Override
  void close();
}
