package dev.weft.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.weft.Weft;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.annotation.Cached;
import dev.weft.pubsub.Publisher;
import dev.weft.pubsub.Subscriber;
import dev.weft.queue.QueueOptions;
import dev.weft.queue.ReliableQueue;
import dev.weft.session.Session;
import dev.weft.session.SessionOptions;
import dev.weft.session.Sessions;
import dev.weft.stream.ConsumerOptions;
import dev.weft.stream.StreamConsumers;
import dev.weft.stream.StreamProducer;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import dev.weft.weaving.MethodPlan;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A runtime's codec, against a real Redis: the application's {@link ObjectMapper} (its modules
 * and serializers) writes and reads values, without its default typing; keys stay Weft's own;
 * a {@link ValueCodec} of the application's carries the values of every pattern.
 */
@WeftRedis
class ApplicationCodecTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  record Money(long cents, String currency) {}

  record Price(String sku, Money amount) {}

  record Note(String text, LocalDate day, Optional<String> by) {}

  record Filter(String text, int pageSize) {}

  record Result(String firstHit, int hitCount) {}

  /** A non-final type, so a mapper with NON_FINAL default typing would name its class. */
  static class Cart {
    public String id;
    public List<String> lines = new ArrayList<>();
  }

  /** A woven method, its plan built in the test (no weaver in core's tests). */
  static class Catalog {
    @Cached(key = "search:{filter}", ttl = "1m")
    public Result search(Filter filter) {
      return new Result(filter.text() + "-1", 3);
    }
  }

  private RedisServer server;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    this.server = server;
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
    redis.flushall();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    connection.close();
    client.shutdown();
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  /** A runtime that has connected, so that no call of the test goes on without Redis. */
  private Weft runtime(Weft.Builder builder) {
    Weft weft = open(builder.redisUrl(server.url()).build());
    Await.until(WAIT, () -> "the runtime connected", () -> weft.health().up());
    return weft;
  }

  /** Writes {@link Money} as {@code "1250 EUR"}, which only its deserializer reads back. */
  static ObjectMapper moneyMapper() {
    SimpleModule money = new SimpleModule("money");
    money.addSerializer(Money.class, new StdSerializer<>(Money.class) {
      @Override
      public void serialize(Money value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeString(value.cents() + " " + value.currency());
      }
    });
    money.addDeserializer(Money.class, new StdDeserializer<>(Money.class) {
      @Override
      public Money deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String[] parts = p.getValueAsString().split(" ");
        return new Money(Long.parseLong(parts[0]), parts[1]);
      }
    });
    return JsonMapper.builder().addModule(money).build();
  }

  @Test
  void objectMapper_customSerializer_writesTheEntry_andAnotherRuntimeReadsItBack() {
    ObjectMapper mapper = moneyMapper();
    Price price = new Price("kb", new Money(1250, "EUR"));
    Weft writer = runtime(Weft.builder().objectMapper(mapper));
    writer.cached("price:kb", Duration.ofMinutes(1), Price.class, () -> price);

    assertThat(redis.get("price:kb")).isEqualTo("{\"sku\":\"kb\",\"amount\":\"1250 EUR\"}");

    Weft reader = runtime(Weft.builder().objectMapper(mapper));
    Price read = reader.cached("price:kb", Duration.ofMinutes(1), Price.class, () -> {
      throw new AssertionError("the entry is there: no load");
    });
    assertThat(read).isEqualTo(price);
  }

  @Test
  void objectMapper_withDefaultTyping_putsNoClassNamesInRedis_andLeavesTheMapperAsItWas()
      throws Exception {
    ObjectMapper typed =
        JsonMapper.builder()
            .activateDefaultTyping(
                BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
                ObjectMapper.DefaultTyping.NON_FINAL, JsonTypeInfo.As.PROPERTY)
            .build();
    Cart cart = new Cart();
    cart.id = "c1";
    cart.lines.add("apple");
    Weft weft = runtime(Weft.builder().objectMapper(typed));

    weft.cached("cart:c1", Duration.ofMinutes(1), Cart.class, () -> cart);

    String raw = redis.get("cart:c1");
    assertThat(raw).isEqualTo("{\"id\":\"c1\",\"lines\":[\"apple\"]}");
    assertThat(typed.writeValueAsString(cart)).as("the application's mapper still types")
        .contains("\"@class\"");
    Cart read = weft.cached("cart:c1", Duration.ofMinutes(1), Cart.class, () -> null);
    assertThat(read.lines).containsExactly("apple");
  }

  @Test
  void objectMapper_ofAClassThatCannotBeCopied_isRefusedNamingTheSettingAndTheFix() {
    ObjectMapper uncopyable = new ObjectMapper() {};

    assertThatThrownBy(() -> Weft.builder().objectMapper(uncopyable))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("Weft.builder().objectMapper(")
        .hasMessageContaining("overrides copy()")
        .hasMessageContaining("codec(...)");
  }

  @Test
  void objectMapper_withoutJavaTimeOrJdk8Modules_stillWritesDatesAndOptionals() {
    Weft weft = runtime(Weft.builder().objectMapper(new ObjectMapper()));
    Note note = new Note("hi", LocalDate.of(2026, 12, 7), Optional.of("ann"));

    weft.cached("note:1", Duration.ofMinutes(1), Note.class, () -> note);

    assertThat(redis.get("note:1")).contains("\"by\":\"ann\"").doesNotContain("present");
    Note read = weft.cached("note:1", Duration.ofMinutes(1), Note.class, () -> null);
    assertThat(read).isEqualTo(note);
  }

  @Test
  void wovenMethod_rendersTheSameKey_withAndWithoutAnApplicationMapper_andStoresThroughIt()
      throws Throwable {
    Catalog catalog = new Catalog();
    Filter filter = new Filter("lamp", 20);
    Weft plain = runtime(Weft.builder());
    Weft snake = runtime(Weft.builder().objectMapper(
        JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build()));
    Weft previous = Weft.install(plain);
    try {
      MethodPlan plan = MethodPlan.build(Catalog.class.getMethod("search", Filter.class));
      plan.around(catalog, new Object[] {filter}, args -> catalog.search((Filter) args[0]));
      List<String> plainKeys = redis.keys("search:*");
      assertThat(redis.get(plainKeys.get(0))).isEqualTo("{\"firstHit\":\"lamp-1\",\"hitCount\":3}");
      redis.flushall();

      Weft.install(snake);
      plan.around(catalog, new Object[] {filter}, args -> catalog.search((Filter) args[0]));
      List<String> snakeKeys = redis.keys("search:*");

      assertThat(snakeKeys).isEqualTo(plainKeys).hasSize(1);
      assertThat(redis.get(snakeKeys.get(0)))
          .as("the plan follows the codec of the runtime serving the call")
          .isEqualTo("{\"first_hit\":\"lamp-1\",\"hit_count\":3}");
    } finally {
      if (previous != null) {
        Weft.install(previous);
      }
    }
  }

  /** Writes {@code codec:} and then JSON, and reads only what it wrote; counts both by type. */
  static final class TaggedCodec implements ValueCodec {
    private static final String TAG = "codec:";
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    final Set<String> encoded = ConcurrentHashMap.newKeySet();
    final Set<String> decoded = ConcurrentHashMap.newKeySet();

    @Override
    public byte[] encode(Object value, Type type) throws IOException {
      encoded.add(type.getTypeName());
      String text = json.writerFor(json.constructType(type)).writeValueAsString(value);
      return (TAG + text).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object decode(byte[] bytes, Type type) throws IOException {
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (!text.startsWith(TAG)) {
        throw new IOException("not written by this codec: " + text);
      }
      decoded.add(type.getTypeName());
      return json.readerFor(json.constructType(type)).readValue(text.substring(TAG.length()));
    }
  }

  record Job(int id, String what) {}

  @Test
  void codec_carriesTheValuesOfCacheQueueStreamPubSubAndSessions() throws Exception {
    TaggedCodec codec = new TaggedCodec();
    Weft weft = runtime(Weft.builder().codec(codec));
    String job = Job.class.getTypeName();

    Job cached = new Job(1, "cache");
    weft.cached("job:1", Duration.ofMinutes(1), Job.class, () -> cached);
    assertThat(redis.get("job:1")).startsWith("codec:{");
    Job hit = weft.cached("job:1", Duration.ofMinutes(1), Job.class, () -> null);
    assertThat(hit).isEqualTo(cached);

    ReliableQueue<Job> queue =
        weft.queue("jobs", Job.class, QueueOptions.defaults().visibilityTimeout(WAIT));
    queue.offer(new Job(2, "queue"));
    assertThat(redis.hvals("weft:q:{jobs}:items")).singleElement().asString()
        .startsWith("codec:{");
    assertThat(queue.take(WAIT).orElseThrow().payload()).isEqualTo(new Job(2, "queue"));

    weft.streamProducer("job-stream", Job.class).add(new Job(3, "stream"));
    assertThat(redis.xrange("job-stream", io.lettuce.core.Range.create("-", "+")))
        .singleElement()
        .satisfies(m -> assertThat(m.getBody().get(StreamProducer.PAYLOAD)).startsWith("codec:{"));
    List<Job> streamed = new CopyOnWriteArrayList<>();
    StreamConsumers consumers = open(weft.streamConsumers());
    consumers.listen("job-stream", "workers", Job.class, ConsumerOptions.defaults(),
        (message, id) -> streamed.add(message));
    Await.until(WAIT, () -> "the stream's job consumed", () -> !streamed.isEmpty());
    assertThat(streamed).containsExactly(new Job(3, "stream"));

    Subscriber subscriber = open(weft.subscriber());
    List<Job> heard = new CopyOnWriteArrayList<>();
    subscriber.subscribe("job-news", Job.class, heard::add);
    assertThat(weft.publisher().publish("job-news", new Job(4, "pubsub"))).isEqualTo(1);
    Await.until(WAIT, () -> "the published job heard", () -> !heard.isEmpty());
    assertThat(heard).containsExactly(new Job(4, "pubsub"));

    Sessions sessions = weft.sessions("web", SessionOptions.defaults().idleTimeout(WAIT));
    Session session = sessions.create("ann", Map.of("job", new Job(5, "session")));
    Session read = sessions.get(session.id()).orElseThrow();
    assertThat(read.get("job", Job.class)).isEqualTo(new Job(5, "session"));

    assertThat(codec.encoded).contains(job);
    assertThat(codec.decoded).contains(job);
  }
}
