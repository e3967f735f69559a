package dev.weft.stream;

/**
 * An entry moved to a stream's dead letters ({@code <stream>:dead}) after too many deliveries,
 * as {@link StreamProducer#deadLetters} reads it.
 *
 * @param id the dead letter's own entry id in {@code <stream>:dead}
 * @param entryId the original entry's id in the stream
 * @param group the consumer group that gave up on it
 * @param consumer the consumer that moved it
 * @param deliveries how many times it had been delivered
 * @param error the last error (its class and message), or why it was given up
 * @param payload the message's JSON, as it was in the stream
 */
public record DeadLetter(
    String id, String entryId, String group, String consumer, long deliveries, String error,
    String payload) {}
