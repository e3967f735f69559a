package dev.weft.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * One delivery of an item taken from a {@link ReliableQueue}: what to process, and what {@link
 * ReliableQueue#ack} needs to remove it. The pair ({@code messageId}, {@code attempt}) is unique
 * to this delivery: two offers of equal payloads have different message ids, and the same item
 * delivered again after its lease expired has a higher attempt, so an ack of the earlier delivery
 * is refused.
 *
 * @param messageId the item's id, given when it was offered; not {@code null}
 * @param attempt how many times the item has been delivered, this one included; 1 the first time
 * @param leaseDeadline when the lease ends, on Redis's clock: acknowledge before it, or the item is
 *     delivered again; not {@code null}
 * @param payload the item, not {@code null}
 * @param <T> the item type
 */
public record Delivery<T>(String messageId, int attempt, Instant leaseDeadline, T payload) {

  /** @throws NullPointerException if an argument is {@code null} */
  public Delivery {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(leaseDeadline, "leaseDeadline");
    Objects.requireNonNull(payload, "payload");
  }
}
