package dev.weft.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.annotation.StreamListener;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamProducer} and {@link StreamConsumers} against a real Redis: typed delivery,
 * acknowledgement only after success, redelivery after minIdle, dead letters, trimming, and the
 * errors that bad listener methods get at registration.
 */
@WeftRedis
class StreamConsumersTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  record Order(int id, String item) {}

  private Weft weft;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;
  private StreamConsumers consumers;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
    redis.flushall();
  }

  @AfterEach
  void close() {
    if (consumers != null) {
      consumers.close();
    }
    connection.close();
    client.shutdown();
    weft.close();
  }

  static final class Billing {
    final List<Order> billed = new CopyOnWriteArrayList<>();
    final List<String> ids = new CopyOnWriteArrayList<>();

    @StreamListener(stream = "orders", group = "billing")
    void bill(Order order, String entryId) {
      billed.add(order);
      ids.add(entryId);
    }
  }

  @Test
  void annotatedListener_receivesTypedMessagesInOrder_andAcksEach() {
    StreamProducer<Order> orders = weft.streamProducer("orders", Order.class);
    // added before the group exists: the group starts at the beginning of the stream
    String first = orders.add(new Order(1, "apple"));
    Billing billing = new Billing();
    consumers = weft.streamConsumers(billing);
    for (int i = 2; i <= 20; i++) {
      orders.add(new Order(i, "item-" + i));
    }

    Await.until(WAIT, () -> "20 orders billed, got " + billing.billed.size(),
        () -> billing.billed.size() == 20);
    assertThat(billing.billed).extracting(Order::id)
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
    assertThat(billing.ids.get(0)).isEqualTo(first);
    Await.until(WAIT, () -> "every entry acknowledged",
        () -> redis.xpending("orders", "billing").getCount() == 0);
    assertThat(redis.xrange("orders", io.lettuce.core.Range.create("-", "+")).get(0).getBody())
        .as("the payload is plain JSON in one field")
        .isEqualTo(Map.of("payload", "{\"id\":1,\"item\":\"apple\"}"));
  }

  @Test
  void listenerThrowsOnce_entryStaysPending_redeliveredAfterMinIdle() {
    StreamProducer<Order> orders = weft.streamProducer("retry", Order.class);
    ConcurrentHashMap<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    List<Integer> done = new CopyOnWriteArrayList<>();
    consumers = weft.streamConsumers();
    consumers.listen("retry", "g", Order.class,
        ConsumerOptions.defaults().minIdle(Duration.ofMillis(300)).maxDeliveries(5),
        (order, id) -> {
          int n = attempts.computeIfAbsent(order.id(), k -> new AtomicInteger()).incrementAndGet();
          if (order.id() % 2 == 0 && n == 1) {
            throw new IllegalStateException("first attempt fails");
          }
          done.add(order.id());
        });
    for (int i = 1; i <= 6; i++) {
      orders.add(new Order(i, "x"));
    }

    Await.until(WAIT, () -> "all 6 done, got " + done, () -> done.size() == 6);
    assertThat(done).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
    assertThat(attempts.get(2).get()).as("failed, then delivered again").isEqualTo(2);
    assertThat(attempts.get(1).get()).as("succeeded at once, never again").isEqualTo(1);
    Await.until(WAIT, () -> "nothing pending",
        () -> redis.xpending("retry", "g").getCount() == 0);
    assertThat(orders.deadLetters(10)).isEmpty();
  }

  @Test
  void listenerAlwaysThrows_deadLetteredAfterMaxDeliveries_withTheError() {
    StreamProducer<Order> orders = weft.streamProducer("poison", Order.class);
    AtomicInteger attempts = new AtomicInteger();
    consumers = weft.streamConsumers();
    consumers.listen("poison", "g", Order.class,
        ConsumerOptions.defaults().minIdle(Duration.ofMillis(200)).maxDeliveries(3),
        (order, id) -> {
          attempts.incrementAndGet();
          throw new IllegalArgumentException("cannot bill order " + order.id());
        });
    String id = orders.add(new Order(7, "poison"));

    Await.until(WAIT, () -> "one dead letter", () -> !orders.deadLetters(10).isEmpty());
    DeadLetter letter = orders.deadLetters(10).get(0);
    assertThat(letter.entryId()).isEqualTo(id);
    assertThat(letter.group()).isEqualTo("g");
    assertThat(letter.deliveries()).isEqualTo(3);
    assertThat(letter.error()).contains("IllegalArgumentException", "cannot bill order 7");
    assertThat(letter.payload()).isEqualTo("{\"id\":7,\"item\":\"poison\"}");
    assertThat(attempts.get()).isEqualTo(3);
    Await.until(WAIT, () -> "acknowledged once dead-lettered",
        () -> redis.xpending("poison", "g").getCount() == 0);
  }

  @Test
  void unreadablePayload_deadLetteredAtOnce() {
    List<Order> got = new CopyOnWriteArrayList<>();
    consumers = weft.streamConsumers();
    consumers.listen("bad", "g", Order.class, ConsumerOptions.defaults(),
        (order, id) -> got.add(order));
    redis.xadd("bad", Map.of("payload", "not json"));
    StreamProducer<Order> orders = weft.streamProducer("bad", Order.class);
    orders.add(new Order(1, "fine"));

    Await.until(WAIT, () -> "the good one processed", () -> got.size() == 1);
    Await.until(WAIT, () -> "the bad one dead-lettered", () -> orders.deadLetters(5).size() == 1);
    assertThat(orders.deadLetters(5).get(0).error()).contains("cannot be read as");
    assertThat(orders.deadLetters(5).get(0).deliveries()).isEqualTo(1);
  }

  @Test
  void maxLen_trimsApproximately() {
    StreamProducer<Order> orders = weft.streamProducer("trimmed", Order.class).maxLen(100);
    for (int i = 0; i < 1_000; i++) {
      orders.add(new Order(i, "x"));
    }
    assertThat(orders.length()).isBetween(100L, 300L);
  }

  static final class TwoTopics {
    @StreamListener(stream = "a", group = "g")
    void a(Order order) {}

    @StreamListener(stream = "b", group = "g", batch = 1, consumer = "fixed-name")
    void b(Order order) {}
  }

  @Test
  void register_startsOneLoopPerMethod_namedAsAsked() {
    consumers = weft.streamConsumers();
    List<String> names = consumers.register(new TwoTopics());
    assertThat(names).hasSize(2).contains("fixed-name");
    assertThat(consumers.consumers()).containsExactlyElementsOf(names);
    Await.until(WAIT, () -> "both groups created (MKSTREAM)",
        () -> redis.exists("a", "b") == 2 && redis.xinfoGroups("b").size() == 1);
  }

  static final class ThreeParameters {
    @StreamListener(stream = "s", group = "g")
    void handle(Order order, String id, int extra) {}
  }

  static final class WrongSecond {
    @StreamListener(stream = "s", group = "g")
    void handle(Order order, long id) {}
  }

  static final class BadIdle {
    @StreamListener(stream = "s", group = "g", minIdle = "soon")
    void handle(Order order) {}
  }

  static final class EmptyGroup {
    @StreamListener(stream = "s", group = "")
    void handle(Order order) {}
  }

  static final class NoListener {
    void handle(Order order) {}
  }

  @Test
  void badListenerMethods_refusedAtRegistration_namingMethodAttributeAndFix() {
    assertThatThrownBy(() -> weft.streamConsumers(new ThreeParameters()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ThreeParameters.handle(Order, String, int)")
        .hasMessageContaining("has 3 parameters")
        .hasMessageContaining("void bill(Order order, String entryId)");
    assertThatThrownBy(() -> weft.streamConsumers(new WrongSecond()))
        .hasMessageContaining("WrongSecond.handle(Order, long)")
        .hasMessageContaining("must be a String");
    assertThatThrownBy(() -> weft.streamConsumers(new BadIdle()))
        .hasMessageContaining("BadIdle.handle(Order)")
        .hasMessageContaining("invalid minIdle")
        .hasMessageContaining("\"soon\"")
        .hasMessageContaining("minIdle = \"30s\"");
    assertThatThrownBy(() -> weft.streamConsumers(new EmptyGroup()))
        .hasMessageContaining("empty group")
        .hasMessageContaining("group = \"billing\"");
    consumers = weft.streamConsumers();
    assertThatThrownBy(() -> consumers.register(new NoListener()))
        .hasMessageContaining("NoListener has no method annotated @StreamListener");
    assertThat(consumers.consumers()).as("nothing started").isEmpty();
  }

  @Test
  void groupStatus_pendingLastDeliveredAndLag() {
    StreamProducer<Order> orders = weft.streamProducer("status", Order.class);
    assertThat(orders.groups()).as("no stream yet").isEmpty();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(orders.add(new Order(i, "o" + i)));
    }
    redis.xgroupCreate(XReadArgs.StreamOffset.from("status", "0"), "billing");
    redis.xreadgroup(Consumer.from("billing", "c1"), XReadArgs.Builder.count(3),
        XReadArgs.StreamOffset.lastConsumed("status"));
    redis.xack("status", "billing", ids.get(0));

    GroupStatus billing = orders.group("billing").orElseThrow();

    assertThat(billing.group()).isEqualTo("billing");
    assertThat(billing.consumers()).isEqualTo(1);
    assertThat(billing.pending()).as("3 delivered, 1 acknowledged").isEqualTo(2);
    assertThat(billing.lastDeliveredId()).isEqualTo(ids.get(2));
    if (redisMajorVersion() >= 7) {
      assertThat(billing.lag()).as("7 entries not delivered yet").hasValue(7);
    } else {
      assertThat(billing.lag()).as("Redis 6 does not report it").isEmpty();
    }
    assertThat(orders.group("shipping")).isEmpty();
    assertThat(orders.groups()).extracting(GroupStatus::group).containsExactly("billing");
  }

  private int redisMajorVersion() {
    String info = redis.info("server");
    String version = info.lines().filter(l -> l.startsWith("redis_version:")).findFirst()
        .orElseThrow().substring("redis_version:".length()).trim();
    return Integer.parseInt(version.substring(0, version.indexOf('.')));
  }
}
