package dev.weft.sample.shop;

import dev.weft.Weft;
import dev.weft.stream.StreamProducer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every placed order to the Redis stream {@value #STREAM}, after its transaction
 * committed, for consumers such as {@link OrderAnalyticsListener} (in any instance) to process.
 * The stream is trimmed with {@code MAXLEN ~} {@value #MAX_LEN}: far more than the consumers ever
 * fall behind by.
 *
 * <h2>After the commit, and what that costs</h2>
 *
 * The event is added once the order is in the database, so no consumer ever sees an order that
 * was rolled back. The price is the gap between the two writes: if Redis fails after the commit,
 * the order stands (the client gets its 201) and its event is lost, counted in {@code
 * sample.order.events{outcome=failed}} and logged. Closing that gap takes a transactional outbox
 * (the event written to a table in the order's transaction, relayed to the stream later), which
 * the sample does not need: during a Redis outage orders are refused anyway (the session and the
 * product's lock cannot be checked), so the gap is an outage that begins between the two writes.
 */
public final class OrderEvents {

  /** The stream's key; under the sample's prefix, so a start clears it with the other keys. */
  public static final String STREAM = "weft-sample:orders";

  /** The length the stream is trimmed to, approximately. */
  public static final long MAX_LEN = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(OrderEvents.class);

  private final StreamProducer<OrderPlaced> producer;
  private final Counter published;
  private final Counter failed;
  private final AtomicBoolean failing = new AtomicBoolean();

  /**
   * @param weft the runtime whose Redis holds the stream, not {@code null}
   * @param registry where events are counted, as {@code sample.order.events{outcome}}
   */
  public OrderEvents(Weft weft, MeterRegistry registry) {
    this.producer = weft.streamProducer(STREAM, OrderPlaced.class).maxLen(MAX_LEN);
    this.published = outcome(registry, "published");
    this.failed = outcome(registry, "failed");
  }

  /**
   * Publishes a committed order. Never throws: the order stands whatever happens to its event.
   *
   * @param order the order, committed
   */
  void publish(Order order) {
    try {
      producer.add(new OrderPlaced(order.id(), order.userId(), order.sku(), order.quantity()));
      published.increment();
      if (failing.compareAndSet(true, false)) {
        LOG.info("Order events are published again");
      }
    } catch (RuntimeException e) {
      failed.increment();
      if (failing.compareAndSet(false, true)) {
        LOG.warn("An order was placed but its event could not be published ({}); analytics will"
            + " miss it. Logged once until publishing works again", e.toString());
      }
    }
  }

  /** @return events published since start */
  public long published() {
    return (long) published.count();
  }

  /** @return committed orders whose event could not be published, since start */
  public long failed() {
    return (long) failed.count();
  }

  private static Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder("sample.order.events")
        .description("Events of placed orders, by whether they reached the stream")
        .tag("outcome", outcome)
        .register(registry);
  }
}
