package dev.weft.stream;

import dev.weft.Weft;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.redis.RedisGateway;
import io.lettuce.core.Limit;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Appends typed messages to a Redis stream, for {@link StreamConsumers} (in any process sharing
 * the Redis) to process in consumer groups.
 *
 * <pre>{@code
 * StreamProducer<Order> orders = weft.streamProducer("orders", Order.class).maxLen(1_000_000);
 * String id = orders.add(new Order(42, "ACME"));        // "1700000000000-0"
 *
 * for (DeadLetter d : orders.deadLetters(10)) { ... }   // what consumers gave up on
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * Each entry has one field, {@value #PAYLOAD}, holding the message's JSON (no type information,
 * as every Weft value), so {@code XRANGE} in {@code redis-cli} shows it as it is and producers in
 * other languages can add entries. The stream's key is the name given, without a Weft prefix,
 * for the same reason. {@code XADD} goes through the runtime's shared connection, with its
 * timeout and circuit breaker; with {@link #maxLen} it trims with {@code MAXLEN ~}, which lets
 * Redis cut whole radix-tree nodes only, so the stream holds at least that many entries and a
 * little more, at a fraction of the cost of exact trimming. Trimming removes entries whether or
 * not every group has processed them: size it above what consumers may fall behind by.
 *
 * <p>No policy of its own: while Redis is unavailable {@link #add} throws {@link
 * dev.weft.exception.WeftUnavailableException}; an entry whose add failed may or may not have
 * been added.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param <T> the message type
 */
public final class StreamProducer<T> {

  /** The entry field that holds a message's JSON. */
  public static final String PAYLOAD = "payload";

  /** The suffix of a stream's dead-letter stream. */
  public static final String DEAD_SUFFIX = ":dead";

  private final RedisGateway redis;
  private final String stream;
  private final Class<T> type;
  private final TypedCodec codec;
  private final long maxLen;

  private StreamProducer(
      RedisGateway redis, String stream, Class<T> type, TypedCodec codec, long maxLen) {
    this.redis = redis;
    this.stream = stream;
    this.type = type;
    this.codec = codec;
    this.maxLen = maxLen;
  }

  static {
    PatternFactories.register(
        StreamProducer.class,
        (weft, stream, type, c, d) -> of(weft, (String) stream, (Class<?>) type));
  }

  /**
   * A producer for the stream at key {@code stream}, without trimming.
   *
   * @param weft the runtime whose Redis holds the stream, not {@code null}
   * @param stream the stream's key, not {@code null} or empty
   * @param type the messages' type, not {@code null}; the runtime's codec must be able to write it
   * @param <T> the message type
   * @return the producer, never {@code null}; nothing is sent to Redis yet
   * @throws IllegalArgumentException if {@code stream} is empty
   */
  static <T> StreamProducer<T> of(Weft weft, String stream, Class<T> type) {
    Objects.requireNonNull(weft, "weft");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(type, "type");
    if (stream.isEmpty()) {
      throw new IllegalArgumentException("a stream's key must not be empty, such as \"orders\"");
    }
    RedisGateway redis = WeftAccess.redis(weft);
    return new StreamProducer<>(redis, stream, type, TypedCodec.of(redis.codec(), type), 0);
  }

  /**
   * @param n the length the stream is trimmed to, approximately ({@code MAXLEN ~ n}) on each add;
   *     at least 1, or 0 for no trimming
   * @return a copy that trims
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public StreamProducer<T> maxLen(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("maxLen must be 0 (no trimming) or more, was " + n);
    }
    return new StreamProducer<>(redis, stream, type, codec, n);
  }

  /**
   * Appends {@code message} to the stream.
   *
   * @param message the message, not {@code null}
   * @return the new entry's id, never {@code null}
   * @throws IllegalArgumentException if the message cannot be written as JSON
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public String add(T message) {
    Objects.requireNonNull(message, "message");
    byte[] json;
    try {
      json = codec.encode(message);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot write " + message.getClass().getName() + " as JSON: " + e.getMessage(), e);
    }
    Map<String, byte[]> body = Map.of(PAYLOAD, json);
    if (maxLen > 0) {
      XAddArgs trim = XAddArgs.Builder.maxlen(maxLen).approximateTrimming();
      return redis.execute(c -> c.xadd(stream, trim, body));
    }
    return redis.execute(c -> c.xadd(stream, body));
  }

  /**
   * @return how many entries the stream holds, processed or not
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public long length() {
    return redis.execute(c -> c.xlen(stream));
  }

  /**
   * @param max how many to read, at least 1
   * @return up to {@code max} dead letters of every group, newest first, never {@code null}
   * @throws IllegalArgumentException if {@code max} is below 1
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public List<DeadLetter> deadLetters(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    List<StreamMessage<String, byte[]>> entries =
        redis.execute(c -> c.xrevrange(stream + DEAD_SUFFIX, Range.create("-", "+"),
            Limit.from(max)));
    List<DeadLetter> letters = new ArrayList<>(entries.size());
    for (StreamMessage<String, byte[]> e : entries) {
      Map<String, byte[]> b = e.getBody();
      String deliveries = text(b, "deliveries");
      letters.add(new DeadLetter(e.getId(), text(b, "entry"), text(b, "group"),
          text(b, "consumer"), deliveries.isEmpty() ? 0 : Long.parseLong(deliveries),
          text(b, "error"), text(b, PAYLOAD)));
    }
    return letters;
  }

  /**
   * @return every consumer group of the stream and where it stands, in Redis's order; empty if
   *     the stream does not exist
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public List<GroupStatus> groups() {
    List<Object> reply;
    try {
      reply = redis.execute(c -> c.xinfoGroups(stream));
    } catch (RedisCommandExecutionException e) {
      if (String.valueOf(e.getMessage()).contains("no such key")) {
        return List.of();
      }
      throw e;
    }
    List<GroupStatus> groups = new ArrayList<>(reply.size());
    for (Object entry : reply) {
      Map<String, Object> fields = new HashMap<>();
      List<?> pairs = (List<?>) entry;
      for (int i = 0; i + 1 < pairs.size(); i += 2) {
        fields.put(string(pairs.get(i)), pairs.get(i + 1));
      }
      Object lag = fields.get("lag");
      groups.add(new GroupStatus(string(fields.get("name")), number(fields.get("consumers")),
          number(fields.get("pending")), string(fields.get("last-delivered-id")),
          lag instanceof Long n ? OptionalLong.of(n) : OptionalLong.empty()));
    }
    return groups;
  }

  /**
   * @param group a consumer group's name, not {@code null}
   * @return where the group stands, or empty if the stream has no such group
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public Optional<GroupStatus> group(String group) {
    Objects.requireNonNull(group, "group");
    return groups().stream().filter(g -> g.group().equals(group)).findFirst();
  }

  private static String string(Object value) {
    return value instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : String.valueOf(value);
  }

  private static long number(Object value) {
    return value instanceof Long n ? n : Long.parseLong(string(value));
  }

  /** @return the stream's key, never {@code null} */
  public String stream() {
    return stream;
  }

  @Override
  public String toString() {
    return "StreamProducer[" + stream + (maxLen > 0 ? ", maxLen ~" + maxLen : "") + "]";
  }

  private static String text(Map<String, byte[]> body, String field) {
    byte[] v = body.get(field);
    return v == null ? "" : new String(v, StandardCharsets.UTF_8);
  }
}
