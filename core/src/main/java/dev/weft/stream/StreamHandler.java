package dev.weft.stream;

/**
 * Processes one stream entry's message. Returning normally acknowledges the entry; throwing
 * leaves it pending, to be delivered again (see {@link StreamConsumers}).
 *
 * @param <T> the message type
 */
@FunctionalInterface
public interface StreamHandler<T> {

  /**
   * @param message the entry's message, never {@code null}
   * @param entryId the entry's id in the stream, such as {@code "1700000000000-0"}
   * @throws Exception to leave the entry unacknowledged
   */
  void handle(T message, String entryId) throws Exception;
}
