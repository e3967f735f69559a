package dev.weft.sample.shop;

import dev.weft.annotation.StreamListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The consumer of order events for the shop's figures ({@link ShopAnalytics}): one per instance
 * of the service, all in the consumer group {@value #GROUP}, so each event is counted by one of
 * them, and an instance that stops leaves its pending events to the others.
 *
 * <p>Delivery is at least once: an event whose processing threw (Redis failed between two of
 * {@link ShopAnalytics#record}'s writes) stays pending and is processed again after {@code
 * minIdle}, and one whose consumer died is reclaimed by another. The figures still count it once:
 * the board and the order counter are given the stream entry's id as an event id, and skip a
 * write they have seen (the buyer count needs none: a HyperLogLog adds a member once). The demo
 * checks that the figures equal the database's.
 */
public final class OrderAnalyticsListener {

  /** The consumer group. */
  public static final String GROUP = "analytics";

  private final ShopAnalytics analytics;
  private final Counter consumed;

  /**
   * @param analytics what the events update, not {@code null}
   * @param registry where events are counted, as {@code
   *     sample.order.events.consumed{consumer=<instance>}}
   * @param instance the instance this listener runs in, such as its port
   */
  public OrderAnalyticsListener(ShopAnalytics analytics, MeterRegistry registry, String instance) {
    this.analytics = analytics;
    this.consumed =
        Counter.builder("sample.order.events.consumed")
            .description("Order events processed by this instance's analytics consumer")
            .tag("consumer", instance)
            .register(registry);
  }

  /**
   * Counts one placed order, once however often it is delivered.
   *
   * @param order the event
   * @param entryId the stream entry's id, the event's id
   */
  @StreamListener(stream = OrderEvents.STREAM, group = GROUP, minIdle = "5s", maxDeliveries = 5)
  public void onOrderPlaced(OrderPlaced order, String entryId) {
    analytics.record(order, entryId);
    consumed.increment();
  }
}
