package dev.weft.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.annotation.Subscribe;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Publisher} and {@link Subscriber} against a real Redis: typed messages on channels and
 * patterns, the channel's name as a second parameter, generic message types, code subscriptions,
 * listeners that throw, unsubscribing, and the errors bad listener methods get at registration.
 */
@WeftRedis
class SubscriberTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  record Price(String symbol, double value) {}

  record Order(int id) {}

  private Weft weft;
  private Publisher publisher;
  private Subscriber subscriber;

  @BeforeEach
  void build(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    publisher = weft.publisher();
  }

  @AfterEach
  void close() {
    if (subscriber != null) {
      subscriber.close();
    }
    weft.close();
  }

  static final class Board {
    final List<Price> prices = new CopyOnWriteArrayList<>();
    final List<String> orderChannels = new CopyOnWriteArrayList<>();
    final List<Order> orders = new CopyOnWriteArrayList<>();
    final List<Map<String, Integer>> maps = new CopyOnWriteArrayList<>();

    @Subscribe(channel = "prices")
    void onPrice(Price price) {
      prices.add(price);
    }

    @Subscribe(pattern = "orders.*")
    void onOrder(Order order, String channel) {
      orders.add(order);
      orderChannels.add(channel);
    }

    @Subscribe(channel = "counts")
    void onCounts(Map<String, Integer> counts) {
      maps.add(counts);
    }
  }

  @Test
  void annotatedListeners_receiveTypedMessages_channelAndPattern() {
    Board board = new Board();
    subscriber = weft.subscriber(board);

    assertThat(publisher.publish("prices", new Price("ACME", 42.5))).isEqualTo(1);
    assertThat(publisher.publish("orders.eu", new Order(1))).isEqualTo(1);
    assertThat(publisher.publish("orders.us", new Order(2))).isEqualTo(1);
    assertThat(publisher.publish("counts", Map.of("a", 1))).isEqualTo(1);
    assertThat(publisher.publish("nobody-listens", new Order(3))).isZero();

    Await.until(WAIT, () -> "all four delivered",
        () -> board.prices.size() == 1 && board.orders.size() == 2 && board.maps.size() == 1);
    assertThat(board.prices).containsExactly(new Price("ACME", 42.5));
    assertThat(board.orders).containsExactly(new Order(1), new Order(2));
    assertThat(board.orderChannels).containsExactly("orders.eu", "orders.us");
    assertThat(board.maps.get(0)).isEqualTo(Map.of("a", 1));
    assertThat(subscriber.live()).isTrue();
  }

  @Test
  void codeSubscriptions_receive_andStopWhenClosed() {
    subscriber = weft.subscriber();
    List<Price> got = new CopyOnWriteArrayList<>();
    List<String> channels = new CopyOnWriteArrayList<>();
    Subscription plain = subscriber.subscribe("ticks", Price.class, got::add);
    Subscription pattern =
        subscriber.subscribePattern("ticks.*", Price.class, (c, p) -> channels.add(c));

    publisher.publish("ticks", new Price("A", 1));
    publisher.publish("ticks.fast", new Price("B", 2));
    Await.until(WAIT, () -> "both delivered", () -> got.size() == 1 && channels.size() == 1);
    assertThat(channels).containsExactly("ticks.fast");

    plain.close();
    pattern.close();
    assertThat(publisher.publish("ticks", new Price("C", 3))).as("unsubscribed").isZero();
    assertThat(publisher.publish("ticks.fast", new Price("D", 4))).isZero();
  }

  @Test
  void listenerThrows_loggedAndDeliveryGoesOn_unreadableMessageSkipped(RedisServer server) {
    subscriber = weft.subscriber();
    List<Integer> got = new CopyOnWriteArrayList<>();
    subscriber.subscribe("jobs", Order.class, o -> {
      if (o.id() == 1) {
        throw new IllegalStateException("listener fails on 1");
      }
      got.add(o.id());
    });
    publisher.publish("jobs", new Order(1));
    RedisClient raw = RedisClient.create(server.url());
    try (StatefulRedisConnection<String, String> c = raw.connect()) {
      c.sync().publish("jobs", "not json");
    } finally {
      raw.shutdown();
    }
    publisher.publish("jobs", new Order(2));
    publisher.publish("jobs", new Order(3));
    Await.until(WAIT, () -> "2 and 3 delivered after the failures, got " + got,
        () -> got.size() == 2);
    assertThat(got).containsExactly(2, 3);
  }

  static final class Both {
    @Subscribe(channel = "a", pattern = "a.*")
    void on(Order order) {}
  }

  static final class Neither {
    @Subscribe
    void on(Order order) {}
  }

  static final class NoParameters {
    @Subscribe(channel = "a")
    void on() {}
  }

  static final class ThreeParameters {
    @Subscribe(channel = "a")
    void on(Order order, String channel, int extra) {}
  }

  static final class SecondNotString {
    @Subscribe(channel = "a")
    void on(Order order, Integer channel) {}
  }

  @Test
  void badListenerMethods_refusedAtRegistration_namingMethodAttributeAndFix() {
    assertThatThrownBy(() -> weft.subscriber(new Both()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@Subscribe on " + Both.class.getName() + ".on(Order)")
        .hasMessageContaining("sets both channel = \"a\" and pattern = \"a.*\"")
        .hasMessageContaining("set exactly one");
    assertThatThrownBy(() -> weft.subscriber(new Neither()))
        .hasMessageContaining("Neither.on(Order)")
        .hasMessageContaining("sets neither channel nor pattern")
        .hasMessageContaining("@Subscribe(channel = \"prices\")");
    assertThatThrownBy(() -> weft.subscriber(new NoParameters()))
        .hasMessageContaining("NoParameters.on()")
        .hasMessageContaining("has 0 parameters")
        .hasMessageContaining("void onPrice(Price price, String channel)");
    assertThatThrownBy(() -> weft.subscriber(new ThreeParameters()))
        .hasMessageContaining("has 3 parameters");
    assertThatThrownBy(() -> weft.subscriber(new SecondNotString()))
        .hasMessageContaining("SecondNotString.on(Order, Integer)")
        .hasMessageContaining("must be a String");
    subscriber = weft.subscriber();
    assertThatThrownBy(() -> subscriber.register(new Object()))
        .hasMessageContaining("java.lang.Object has no method annotated @Subscribe");
  }

  static final class BillingPrices {
    final List<Price> received = new CopyOnWriteArrayList<>();

    @Subscribe(channel = "prices", runtime = "subscriber-test-billing")
    void on(Price price) {
      received.add(price);
    }
  }

  @Test
  void listenerNamingARuntime_refusedByAnother_subscribedByItsOwn(RedisServer server) {
    assertThatThrownBy(() -> weft.subscriber(new BillingPrices()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@Subscribe on " + BillingPrices.class.getName() + ".on(Price)")
        .hasMessageContaining("names runtime = \"subscriber-test-billing\", but is registered"
            + " with a runtime without a name")
        .hasMessageContaining("Weft.builder().name(\"subscriber-test-billing\")");
    BillingPrices listener = new BillingPrices();
    try (Weft billing =
            Weft.builder().name("subscriber-test-billing").redisUrl(server.url()).build();
        Subscriber own = billing.subscriber(listener)) {
      billing.publisher().publish("prices", new Price("WEFT", 1.5));
      Await.until(WAIT, () -> "the price on the listener's own runtime",
          () -> !listener.received.isEmpty());
    }
  }
}
