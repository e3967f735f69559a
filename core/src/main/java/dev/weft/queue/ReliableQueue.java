package dev.weft.queue;

import dev.weft.Weft;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.cache.ChangeFeed;
import dev.weft.internal.cache.KeyWaiter;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.redis.HashTags;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.Script;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A work queue in Redis that loses no item when a consumer crashes: every item taken is leased to
 * its consumer for the visibility timeout, and comes back to the queue unless the consumer
 * acknowledges it in time. Shared by every process that uses the same Redis and name.
 *
 * <pre>{@code
 * ReliableQueue<Job> jobs = weft.queue("jobs", Job.class,
 *     QueueOptions.defaults().visibilityTimeout("30s").maxDeliveries(5));
 * jobs.offer(new Job(42));
 *
 * // in each worker
 * Optional<Delivery<Job>> next = jobs.take(Duration.ofSeconds(5));   // waits up to 5 s
 * if (next.isPresent()) {
 *   process(next.get().payload());
 *   jobs.ack(next.get());             // false: the lease had expired, the job will run again
 * }
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * Delivery is at least once: an item is removed only by an acknowledgement made within its lease,
 * so a consumer that dies after taking an item costs a redelivery, never the item. Within one
 * lease no other consumer gets the item. All keys of a queue share its name as hash tag, {@code
 * weft:q:{<name>}:...}, so every script runs in one slot, also on a cluster:
 *
 * <ul>
 *   <li>{@code :ready}, a list of message ids (random, 128 bits), offered on the left and taken
 *       from the right, first in first out;
 *   <li>{@code :items}, a hash of message id to payload, for every item ready or in flight; its
 *       size is what {@link QueueOptions#capacity()} bounds;
 *   <li>{@code :leases}, a sorted set of the ids in flight scored by lease deadline (Redis time);
 *   <li>{@code :deliveries}, a hash of message id to times delivered;
 *   <li>{@code :dead}, the dead letters: payloads of items whose lease expired after {@link
 *       QueueOptions#maxDeliveries()} deliveries, newest first, trimmed to {@link
 *       QueueOptions#deadLetterCapacity()}.
 * </ul>
 *
 * The classic form of this pattern ({@code BLMOVE} from the queue into a processing list, then
 * recording a lease) is two steps, and a consumer dying between them leaves an item in the
 * processing list with no lease, which a sweeper must then find by scanning. Here taking is one
 * script, {@code queue_take.lua}, that pops an id, counts the delivery and records the lease
 * together, so the sorted set of leases is the processing list and there is no such gap. It also
 * means no blocking command: {@code BLMOVE} would hold Weft's one shared, pipelined connection
 * (every other command of the runtime would queue behind it) and outlast the command timeout. A
 * taker that finds the queue empty waits instead on the runtime's change feed: {@code
 * queue_offer.lua} publishes the ready list's key when it makes the list non-empty, as the lock
 * scripts do for releases. A waiter listens before it asks, so no offer slips between an empty
 * answer and the wait; it also wakes when the earliest lease expires (the script says when), at
 * least once a second, and, while the feed is down, polls with backoff (10 to 250 ms): a {@code
 * KeyWaiter}.
 *
 * <p><b>Returning expired items.</b> The same script first returns up to {@value #SWEEP} expired
 * leases to the right end of the ready list (they have waited longest, so they are taken next)
 * or, after {@link QueueOptions#maxDeliveries()} deliveries, moves them to the dead letters. Every
 * {@link #take} therefore sweeps, and a waiting taker sweeps each time it wakes, so while anyone
 * consumes, expired items come back without a scheduler; {@link #requeueExpired()} does the same
 * sweep alone, for queues nobody is taking from. Leases, their expiry, and the check in {@code
 * queue_ack.lua} all use Redis's clock ({@code TIME}), so consumers' clocks never matter. An
 * acknowledgement is refused once its lease deadline has passed, swept or not: the consumer then
 * knows that the item will be delivered again.
 *
 * <p>Typed queues hold their items as the runtime's codec writes them (JSON by default), without
 * type information in the payload (as every Weft value); queues of {@code String} hold strings
 * as they are. A payload that cannot be read as the queue's type makes {@link #take} throw; its
 * lease then expires like any other, so after {@link QueueOptions#maxDeliveries()} attempts it
 * ends among the dead letters. Queue keys have no TTL
 * (a queue must not drop work); they are bounded by the capacities instead.
 *
 * <h2>Failures</h2>
 *
 * No policy of its own: while Redis is unavailable every method throws {@link
 * dev.weft.exception.WeftUnavailableException} (an error reply, a defect, is Lettuce's exception),
 * never an empty queue. An item whose offer failed may or may not be queued; one whose take failed
 * is returned by the sweep once its lease expires.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param <T> the item type
 */
public final class ReliableQueue<T> {

  /** The most expired leases one call returns to the queue (or the dead letters). */
  public static final int SWEEP = 100;

  private static final Script<Boolean> OFFER = Script.flag("queue_offer");
  private static final Script<TakeReply> TAKE = Script.multi("queue_take", TakeReply::of);
  private static final Script<Boolean> ACK = Script.flag("queue_ack");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final KeyWaiter.Pace PACE =
      new KeyWaiter.Pace(Duration.ofMillis(10), Duration.ofMillis(250), Duration.ofSeconds(1));

  private final RedisGateway redis;
  private final ChangeFeed feed;
  private final String name;
  private final QueueOptions options;
  private final Codec<T> codec;
  private final String ready;
  private final String items;
  private final String[] takeKeys;
  private final String[] ackKeys;
  private final String dead;

  private ReliableQueue(Weft weft, String name, QueueOptions options, Codec<T> codec) {
    this.redis = WeftAccess.redis(weft);
    this.feed = WeftAccess.cache(weft).feed();
    this.name = name;
    this.options = options;
    this.codec = codec;
    String base = HashTags.tagged(redis.keys().internal("q:"), name);
    this.ready = base + ":ready";
    this.items = base + ":items";
    String leases = base + ":leases";
    String deliveries = base + ":deliveries";
    this.dead = base + ":dead";
    this.takeKeys = new String[] {ready, leases, items, deliveries, dead};
    this.ackKeys = new String[] {leases, items, deliveries};
  }

  static {
    PatternFactories.register(
        ReliableQueue.class,
        (weft, name, type, options, d) ->
            type == String.class
                ? ofStrings(weft, (String) name, (QueueOptions) options)
                : of(weft, (String) name, (Class<?>) type, (QueueOptions) options));
  }

  /**
   * The queue named {@code name} on the runtime's Redis, holding items of {@code type} as JSON.
   * Queues with equal names are the same queue, in every process; give processes that share a
   * queue the same type and options.
   *
   * @param weft the runtime whose Redis holds the queue, not {@code null}
   * @param name the queue's name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
   * @param type the items' type, not {@code null}; the runtime's codec must be able to write and
   *     read it
   * @param options its lease, retry and size limits, not {@code null}
   * @param <T> the item type
   * @return the queue, never {@code null}; nothing is sent to Redis yet
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code name} is not a valid name
   */
  static <T> ReliableQueue<T> of(
      Weft weft, String name, Class<T> type, QueueOptions options) {
    Objects.requireNonNull(type, "type");
    TypedCodec json =
        TypedCodec.of(WeftAccess.redis(Objects.requireNonNull(weft, "weft")).codec(), type);
    return create(weft, name, options, new Codec<>() {
      @Override
      public byte[] encode(T item) {
        try {
          return json.encode(item);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              "cannot write " + item.getClass().getName() + ": " + e.getMessage(), e);
        }
      }

      @Override
      @SuppressWarnings("unchecked") // the codec was bound to T
      public T decode(byte[] bytes) throws IOException {
        Object value = json.decode(bytes);
        if (value == null) {
          throw new IOException("the payload is JSON null");
        }
        return (T) value;
      }
    });
  }

  /**
   * The queue named {@code name} on the runtime's Redis, holding strings as they are (UTF-8).
   *
   * @param weft the runtime whose Redis holds the queue, not {@code null}
   * @param name the queue's name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
   * @param options its lease, retry and size limits, not {@code null}
   * @return the queue, never {@code null}; nothing is sent to Redis yet
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code name} is not a valid name
   */
  static ReliableQueue<String> ofStrings(Weft weft, String name, QueueOptions options) {
    return create(weft, name, options, new Codec<>() {
      @Override
      public byte[] encode(String item) {
        return item.getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
      }
    });
  }

  private static <T> ReliableQueue<T> create(
      Weft weft, String name, QueueOptions options, Codec<T> codec) {
    Objects.requireNonNull(weft, "weft");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a queue's name must be 1 to 64 letters, digits, '.', '_' or '-', such as \"emails\","
              + " was \"" + name + "\"");
    }
    return new ReliableQueue<>(weft, name, options, codec);
  }

  /**
   * Adds an item at the tail of the queue.
   *
   * @param item the item, not {@code null}
   * @return {@code true} if it was queued, {@code false} if the queue holds {@link
   *     QueueOptions#capacity()} items (ready and in flight)
   * @throws NullPointerException if {@code item} is {@code null}
   * @throws IllegalArgumentException if a typed item cannot be written as JSON
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow; the item
   *     may or may not have been queued
   */
  public boolean offer(T item) {
    Objects.requireNonNull(item, "item");
    byte[] payload = codec.encode(item);
    return redis.run(
        OFFER.keys(ready, items)
            .arg(newMessageId())
            .arg(payload)
            .arg(options.capacity())
            .arg(feed.channel()));
  }

  /**
   * Takes the item at the head of the queue if there is one, without waiting.
   *
   * @return the delivery, or empty if the queue is empty
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public Optional<Delivery<T>> poll() {
    TakeReply reply = redis.run(take(true));
    return reply.taken() ? Optional.of(delivery(reply)) : Optional.empty();
  }

  /**
   * Takes the item at the head of the queue, waiting up to {@code wait} for one. The item is
   * leased to the caller for the {@linkplain QueueOptions#visibilityTimeout() visibility timeout}:
   * {@link #ack} it within that time, or it is delivered again.
   *
   * @param wait how long to wait for an item, not {@code null}, not negative; {@link
   *     Duration#ZERO} to not wait
   * @return the delivery, or empty if no item came within {@code wait}
   * @throws InterruptedException if the thread was interrupted while waiting
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public Optional<Delivery<T>> take(Duration wait) throws InterruptedException {
    Objects.requireNonNull(wait, "wait");
    if (wait.isNegative()) {
      throw new IllegalArgumentException("wait must not be negative, was " + wait);
    }
    if (wait.isZero()) {
      return poll();
    }
    KeyWaiter offered = KeyWaiter.on(feed, ready, System.nanoTime() + wait.toNanos(), PACE);
    while (true) {
      // listen before asking, so that no offer slips between an empty answer and the wait
      offered.listen();
      TakeReply reply = redis.run(take(true));
      if (reply.taken()) {
        return Optional.of(delivery(reply));
      }
      // until an offer, the next lease expires (its item comes back), or a re-check is due
      long nextExpiry = reply.nextExpiry();
      if (!offered.await(nextExpiry >= 0 ? nextExpiry + 1 : 0)) {
        return Optional.empty();
      }
    }
  }

  /**
   * Acknowledges a delivery: the item is processed and removed for good.
   *
   * @param delivery a delivery {@link #take} or {@link #poll} returned, not {@code null}
   * @return {@code true} if removed; {@code false} if the delivery's lease had expired (by
   *     Redis's clock), so that the item is, or will be, delivered again, or it was already
   *     acknowledged
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow; the item
   *     is then delivered again after its lease unless the acknowledgement did reach Redis
   */
  public boolean ack(Delivery<T> delivery) {
    Objects.requireNonNull(delivery, "delivery");
    return redis.run(ACK.keys(ackKeys).arg(delivery.messageId()).arg(delivery.attempt()));
  }

  /**
   * Returns up to {@value #SWEEP} items whose lease has expired to the head of the queue (or,
   * after {@link QueueOptions#maxDeliveries()} deliveries, to the dead letters). {@link #take}
   * does this on every call; call this from a scheduler only for queues that may go unconsumed.
   *
   * @return how many items went back to the queue (dead-lettered ones not included)
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public int requeueExpired() {
    return redis.run(take(false)).requeued();
  }

  /**
   * @return how many items wait to be taken (not counting those in flight)
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public long size() {
    return redis.execute(c -> c.llen(ready));
  }

  /**
   * @return how many items are leased to consumers, including expired leases not yet swept
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public long inFlight() {
    return redis.execute(c -> c.zcard(takeKeys[1]));
  }

  /**
   * @param max how many to read, at least 1
   * @return up to {@code max} dead letters, newest first, never {@code null}
   * @throws IllegalArgumentException if {@code max} is below 1
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   * @throws IllegalStateException if a dead letter cannot be read as the queue's type
   */
  public List<T> deadLetters(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    List<byte[]> payloads = redis.execute(c -> c.lrange(dead, 0, max - 1));
    List<T> letters = new ArrayList<>(payloads.size());
    for (byte[] payload : payloads) {
      letters.add(decode("a dead letter", payload));
    }
    return letters;
  }

  /**
   * Deletes the queue: items ready, in flight, and dead letters. Leases held by consumers end;
   * their acknowledgements are refused.
   *
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public void clear() {
    redis.execute(c -> c.del(ready, takeKeys[1], items, takeKeys[3], dead));
  }

  /** @return the queue's name, never {@code null} */
  public String name() {
    return name;
  }

  /** @return its options, never {@code null} */
  public QueueOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return "ReliableQueue[" + name + ", " + options + "]";
  }

  /** @param take whether to take an item after the sweep, or only sweep */
  private Script.Call<TakeReply> take(boolean take) {
    return TAKE.keys(takeKeys)
        .arg(take ? 1 : 0)
        .arg(options.visibilityTimeout())
        .arg(options.maxDeliveries())
        .arg(options.deadLetterCapacity())
        .arg(SWEEP)
        .arg(feed.channel());
  }

  private Delivery<T> delivery(TakeReply reply) {
    String id = new String(reply.id(), StandardCharsets.US_ASCII);
    T payload = decode("item " + id, reply.payload());
    return new Delivery<>(id, reply.attempt(), Instant.ofEpochMilli(reply.leaseDeadline()), payload);
  }

  private T decode(String what, byte[] payload) {
    try {
      return codec.decode(payload);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "queue " + name + ": " + what + " cannot be read as the queue's type (" + e.getMessage()
              + "); a taken item is delivered again after its lease and dead-lettered after"
              + " maxDeliveries attempts", e);
    }
  }

  private static String newMessageId() {
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }

  /**
   * What {@code queue_take.lua} answered: an item taken, or when none was, how soon a lease
   * expires.
   *
   * @param id the taken item's message id, {@code null} if none was taken
   * @param attempt how many times the taken item has been delivered, this time included
   * @param leaseDeadline when the taken item's lease ends, ms since the epoch (Redis clock)
   * @param payload the taken item's payload, {@code null} if none was taken
   * @param nextExpiry if none was taken, ms until the next lease expires, or -1 if none will
   * @param requeued how many expired items the sweep returned to the queue (0 once one is taken)
   */
  private record TakeReply(
      byte[] id, int attempt, long leaseDeadline, byte[] payload, long nextExpiry, int requeued) {

    static TakeReply of(List<Object> reply) {
      if ((Long) reply.get(0) == 1L) {
        return new TakeReply((byte[]) reply.get(1), ((Long) reply.get(2)).intValue(),
            (Long) reply.get(3), (byte[]) reply.get(4), -1, 0);
      }
      return new TakeReply(null, 0, 0, null, (Long) reply.get(1), ((Long) reply.get(2)).intValue());
    }

    boolean taken() {
      return id != null;
    }
  }

  /** Turns items into payload bytes and back. */
  private interface Codec<T> {
    byte[] encode(T item);

    T decode(byte[] bytes) throws IOException;
  }
}
