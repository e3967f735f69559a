package dev.weft.writebehind;

import dev.weft.Weft;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.cache.EntryStore;
import dev.weft.internal.codec.JsonCodec;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.redis.HashTags;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.RedisUrls;
import dev.weft.internal.redis.Script;
import dev.weft.stream.ConsumerOptions;
import dev.weft.stream.DeadLetter;
import dev.weft.stream.GroupStatus;
import dev.weft.stream.StreamConsumers;
import dev.weft.stream.StreamProducer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.models.stream.PendingMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-behind: a write goes to Redis at once, as a cache entry every reader sees, and to the
 * application's own store later, through a Redis stream, with retries; a crash of the writing
 * process loses nothing Redis accepted.
 *
 * <pre>{@code
 * try (WriteBehind<Order> orders = weft.writeBehind("orders", Order.class,
 *     (key, order) -> repository.upsert(order),
 *     WriteBehindOptions.defaults().ttl("1h").consumers(2))) {
 *   orders.write("order:42", order);              // returns once Redis holds it
 *   weft.cache(Order.class, CacheOptions.defaults().ttl("1h")).get("order:42", loader);   // sees it now
 * }
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * <b>One step in Redis.</b> {@link #write} runs {@code writebehind_write.lua}, which stores the
 * entry exactly as {@code cache_store.lua} does (JSON string at the key, with a TTL, the key
 * published on the change channel so that near caches drop their copies), appends the write to
 * the stream {@code weft:wb:{<name>}}, and records it as the key's newest write in the hash {@code
 * weft:wb:{<name>}:latest}. All of them are in the runtime's {@linkplain Weft.Builder#keyPrefix
 * key space}: the entry at the prefixed key, as {@code @Cached} stores it, the stream and hashes
 * behind the prefix too (their hash tags unchanged). Redis holds all of it or none: once {@code
 * write} returns, the write survives any crash of this process; if it throws, at most the reply
 * was lost, never half a write. The stream entry's id is the write's version.
 *
 * <p><b>Persisting.</b> Each consumer is a {@link StreamConsumers} loop in the group {@value
 * #GROUP}: it reads entries, calls the {@link Persister}, and acknowledges only after it returned.
 * Writes the persister failed on, or that a dead consumer held, are claimed again after {@link
 * WriteBehindOptions#minIdle} and retried; after {@link WriteBehindOptions#maxDeliveries}
 * attempts they go to the dead letters {@code weft:wb:{<name>}:dead} (logged by the consumer; see
 * {@link #deadLetters}). Any process that starts a write-behind of the same name with consumers
 * takes part, so the writes of a process that died are persisted by the others.
 *
 * <p><b>Only the newest value, never an older one after it.</b> Before persisting an entry, a
 * consumer runs {@code writebehind_begin.lua}: if the key's newest write is no longer this entry,
 * the entry is skipped (deleted and acknowledged) — several pending writes of one key are
 * coalesced into the newest; otherwise the consumer takes the key's lease ({@code
 * weft:wb:{<name>}:lease:<key>}, expiring after {@code minIdle}), waiting while another consumer
 * holds it. After the persister returns, {@code writebehind_finish.lua} releases the lease,
 * forgets the newest write if it is still this one, and deletes the entry. So calls for one key
 * never overlap, and each persists the newest write of its time: the persister never sees an
 * older value after a newer one. The guarantee rests on persisting taking less than {@code
 * minIdle}, the lease's length: a persister still running after its lease expired may finish
 * after a newer value's call. Fencing tokens (Kleppmann, "How to do distributed locking", 2016)
 * would close that gap but need the store to compare versions; the persister is not given one.
 *
 * <p><b>Bounded, never trimmed.</b> Trimming the stream ({@code MAXLEN}) would silently drop
 * writes not yet persisted, so it is never trimmed. Instead persisted and skipped entries are
 * deleted ({@code XDEL}), the stream's length is the backlog, and {@link #write} refuses a write
 * (an error reply; nothing written) once {@link WriteBehindOptions#maxBacklog} writes wait. A
 * sweeper deletes from the stream the entries that became dead letters (the stream consumers
 * acknowledge them but leave them there): it finds them in the stream itself, as entries the
 * group delivered that are no longer pending, not in the dead-letter stream, which is trimmed
 * and so would leave the entries of trimmed letters in the backlog forever. The newest-write hash holds one field per key with a
 * write waiting; leases expire.
 *
 * <p><b>Redis Cluster.</b> A script touches keys of one slot only, and the entry's key is the
 * user's while the stream is the write-behind's. So on a cluster every key written must hash to
 * the stream's slot: it must carry the write-behind's hash tag, {@code {<name>}}, such as {@code
 * order:{orders}:42}; {@link #write} checks and says so. The price: one write-behind's entries and
 * stream live on one node, whose throughput bounds it. Several write-behinds ({@code orders-0} to
 * {@code orders-7}, picked by the application from the key) spread the load across nodes. The
 * alternative, a stream per slot the keys fall in, would need a consumer for each of up to 16,384
 * streams. On a single server any key can be written.
 *
 * <p>Instances are thread-safe. Closing stops this process's consumers, not the writes' persisting
 * elsewhere; it does not close the runtime.
 *
 * @param <T> the value type
 */
public final class WriteBehind<T> implements AutoCloseable {

  /** The consumer group that persists every write-behind's stream. */
  public static final String GROUP = "weft-write-behind";

  private static final Logger log = LoggerFactory.getLogger(WriteBehind.class);
  /** The new stream entry's id. */
  private static final Script<byte[]> WRITE = Script.value("writebehind_write");
  /** 1 go, 0 skip, -1 busy. */
  private static final Script<Long> BEGIN = Script.integer("writebehind_begin");
  /** Whether the key's newest write was this one. */
  private static final Script<Boolean> FINISH = Script.flag("writebehind_finish");
  private static final int SWEEP_BATCH = 100;
  /** The most batches one sweep reads; see {@link #sweepDeadLetters}. */
  private static final int SWEEP_ROUNDS = 100;
  private static final long MAX_BUSY_PAUSE_MILLIS = 200;
  // The envelope is Weft's own JSON; the value inside it is the runtime codec's text
  private static final TypedCodec ENVELOPE = TypedCodec.of(JsonCodec.shared(), Map.class);

  private final RedisGateway redis;
  private final String name;
  private final String stream;
  private final String latest;
  private final String leasePrefix;
  private final TypedCodec codec;
  private final Persister<? super T> persister;
  private final WriteBehindOptions options;
  private final int slot;
  private final StreamProducer<Object> deadLetters;
  private final StreamConsumers consumers;
  private final ScheduledExecutorService sweeper;
  /** Where the next sweep goes on from, exclusive; {@code null} for the stream's head. */
  private volatile String swept;

  private WriteBehind(RedisGateway redis, String name, Class<T> type,
      Persister<? super T> persister, WriteBehindOptions options, StreamProducer<Object> dead,
      StreamConsumers consumers) {
    this.redis = redis;
    this.name = name;
    this.stream = streamOf(redis, name);
    this.latest = stream + ":latest";
    this.leasePrefix = stream + ":lease:";
    this.codec = TypedCodec.of(redis.codec(), type);
    this.persister = persister;
    this.options = options;
    this.slot = RedisUrls.isCluster(redis.endpoint().url()) ? SlotHash.getSlot(stream) : -1;
    this.deadLetters = dead;
    this.consumers = consumers;
    this.sweeper = consumers == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "weft-write-behind-sweeper-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  static {
    PatternFactories.register(
        WriteBehind.class,
        WriteBehind::startUnchecked);
  }

  /**
   * Starts a write-behind: returns at once; its consumers (if {@link
   * WriteBehindOptions#consumers} is above 0) connect, and retry, in the background, and also
   * persist writes made before, by this or any other process.
   *
   * @param weft the runtime whose Redis holds the entries and the stream, not {@code null}
   * @param name the write-behind's name, not {@code null} or empty; processes sharing it share
   *     the stream
   * @param type the values' type, not {@code null}; the runtime's codec must be able to write and
   *     read it
   * @param persister stores values in the application's store, not {@code null}
   * @param options lifetime, consumers, retries and bounds, not {@code null}
   * @param <T> the value type
   * @return the running write-behind; close it to stop its consumers
   * @throws IllegalArgumentException if {@code name} is empty
   */
  static <T> WriteBehind<T> start(Weft weft, String name, Class<T> type,
      Persister<? super T> persister, WriteBehindOptions options) {
    Objects.requireNonNull(weft, "weft");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(persister, "persister");
    Objects.requireNonNull(options, "options");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a write-behind's name must not be empty, such as"
          + " \"orders\"");
    }
    StreamProducer<Object> dead =
        weft.streamProducer(streamOf(WeftAccess.redis(weft), name), Object.class);
    StreamConsumers consumers = options.consumers() > 0 ? weft.streamConsumers() : null;
    WriteBehind<T> wb = new WriteBehind<>(
        WeftAccess.redis(weft), name, type, persister, options, dead, consumers);
    wb.launch();
    return wb;
  }

  @SuppressWarnings({"rawtypes", "unchecked"}) // Weft's typed method checked the arguments
  private static WriteBehind<?> startUnchecked(
      Weft weft, Object name, Object type, Object persister, Object options) {
    return start(weft, (String) name, (Class) type, (Persister) persister,
        (WriteBehindOptions) options);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private void launch() {
    if (consumers == null) {
      return;
    }
    ConsumerOptions each = ConsumerOptions.defaults().minIdle(options.minIdle())
        .maxDeliveries(options.maxDeliveries()).batch(options.batch());
    for (int i = 0; i < options.consumers(); i++) {
      consumers.listen(stream, GROUP, Map.class, each, (m, id) -> persist((Map<?, ?>) m, id));
    }
    long every = Math.min(Math.max(options.minIdle().toMillis() / 2, 100), 10_000);
    sweeper.scheduleWithFixedDelay(this::sweepDeadLetters, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Writes {@code value} under {@code key} as a cache entry (the layout {@code @Cached} and
   * {@link dev.weft.cache.WeftCache} read, with {@link WriteBehindOptions#ttl}) and queues it for
   * the persister, in one atomic step. Returns once Redis holds both.
   *
   * @param key the entry's key, not {@code null} or empty; on a Redis Cluster it must carry the
   *     hash tag {@code {<name>}}
   * @param value the value, not {@code null}
   * @return the write's version: its id in the write-behind stream, such as {@code
   *     "1700000000000-0"}; versions of one write-behind only grow
   * @throws IllegalArgumentException if the value cannot be written as JSON, or the key is empty,
   *     starts with {@code weft:} (Weft's own keys) or (on a cluster) is in another slot than the
   *     stream
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow (the write
   *     then happened entirely or not at all), or refused it because {@link
   *     WriteBehindOptions#maxBacklog} writes wait to be persisted (then nothing was written)
   */
  public String write(String key, T value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a write-behind key must not be empty");
    }
    String entry = redis.keys().entry(key);
    if (slot >= 0 && SlotHash.getSlot(entry) != slot) {
      throw new IllegalArgumentException("write-behind " + name + " on a Redis Cluster: key \""
          + key + "\" is in another slot than the stream " + stream + ", so one script cannot"
          + " write both; give the key the hash tag {" + name + "}, such as \"order:{" + name
          + "}:42\" (and read it under that key)");
    }
    byte[] json;
    try {
      json = codec.encode(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("write-behind " + name + ": cannot write "
          + value.getClass().getName() + ": " + e.getMessage(), e);
    }
    Map<String, String> envelope = new LinkedHashMap<>();
    envelope.put("key", key);
    envelope.put("value", new String(json, StandardCharsets.UTF_8));
    byte[] payload = JsonCodec.shared().toKeyText(envelope).getBytes(StandardCharsets.UTF_8);
    long ttl = EntryStore.ttlMillis(options.ttl(), options.jitter());
    byte[] id =
        redis.run(
            WRITE.keys(entry, stream, latest)
                .arg(json)
                .arg(ttl)
                .arg(redis.keys().channel())
                .arg(payload)
                .arg(options.maxBacklog()));
    return new String(id, StandardCharsets.UTF_8);
  }

  /**
   * @return how many writes wait to be persisted (being persisted included), never negative
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public long backlog() {
    return redis.execute(c -> c.xlen(stream));
  }

  /**
   * @param max how many to read, at least 1
   * @return up to {@code max} writes given up on, newest first; each payload is {@code {"key":
   *     <key>, "value": <the value's JSON as text>}}; never {@code null}
   * @throws IllegalArgumentException if {@code max} is below 1
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public List<DeadLetter> deadLetters(int max) {
    return deadLetters.deadLetters(max);
  }

  /**
   * @return the write-behind stream's key, {@code <prefix>weft:wb:{<name>}}, never {@code null}
   */
  public String stream() {
    return stream;
  }

  /**
   * Stops this process's consumers after the write each has in hand (writes read but not yet
   * persisted are retried by any consumer after {@code minIdle}). Idempotent.
   */
  @Override
  public void close() {
    if (consumers != null) {
      sweeper.shutdownNow();
      consumers.close();
    }
  }

  @Override
  public String toString() {
    return "WriteBehind[" + name + ", " + stream + "]";
  }

  /** Persists one stream entry if it is its key's newest write; see the class comment. */
  private void persist(Map<?, ?> envelope, String id) throws Exception {
    if (!(envelope.get("key") instanceof String key)
        || !(envelope.get("value") instanceof String json)) {
      throw new IllegalArgumentException("entry " + id + " of " + stream
          + " is not a write-behind write: it needs the text fields \"key\" and \"value\"");
    }
    String token = randomHex() + ":" + id;
    if (!begin(key, id, token)) {
      return;
    }
    try {
      Object value = codec.decode(json.getBytes(StandardCharsets.UTF_8));
      if (value == null) {
        throw new IOException("the value of " + key + " is JSON null");
      }
      @SuppressWarnings("unchecked")
      T typed = (T) value;
      persister.persist(key, typed);
    } catch (Exception | Error e) {
      try {
        finish(key, id, token, false);
      } catch (RuntimeException releasing) {
        e.addSuppressed(releasing); // the lease then expires after minIdle
      }
      throw e;
    }
    finish(key, id, token, true);
  }

  /**
   * @return true once this attempt holds the key's lease; false if the entry is superseded or
   *     done (and has been deleted)
   * @throws IllegalStateException if another consumer held the lease for twice {@code minIdle}
   */
  private boolean begin(String key, String id, String token) throws InterruptedException {
    long lease = options.minIdle().toMillis();
    long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * lease);
    long pause = 5;
    while (true) {
      long go =
          redis.run(
              BEGIN.keys(latest, leasePrefix + key, stream)
                  .arg(redis.keys().entry(key)).arg(id).arg(token).arg(lease));
      if (go >= 0) {
        return go == 1;
      }
      if (System.nanoTime() - giveUp > 0) {
        throw new IllegalStateException("write-behind " + name + ": key " + key
            + " has been persisted by another consumer for over twice minIdle; retried later");
      }
      Thread.sleep(pause);
      pause = Math.min(pause * 2, MAX_BUSY_PAUSE_MILLIS);
    }
  }

  private void finish(String key, String id, String token, boolean done) {
    redis.run(
        FINISH.keys(latest, leasePrefix + key, stream)
            .arg(redis.keys().entry(key))
            .arg(id)
            .arg(token)
            .arg(done ? 1 : 0));
  }

  /**
   * Deletes from the stream the writes that became dead letters (and forgets them as their key's
   * newest write), so that they no longer count against the backlog; see the class comment,
   * "Bounded, never trimmed". A dead letter is an entry that the group has delivered (its id is at
   * most the group's last-delivered id) and that is no longer pending: the consumers acknowledge a
   * write only after deleting it, except when they dead-letter it. So the pass reads the stream
   * itself, from its head up to the last-delivered id, a batch at a time, and deletes each entry
   * the group's pending list does not hold. Entries not yet delivered are never read; what is read
   * is the writes in hand and the dead ones, so a pass costs what the consumers hold, not the
   * backlog. The dead-letter stream is not consulted: it is trimmed, and an entry whose letter was
   * trimmed before a pass reached it would stay in the stream forever. A pass stops after {@value
   * #SWEEP_ROUNDS} batches and the next goes on from there; after reaching the last-delivered id
   * the next pass starts again at the head. Deleting twice (two processes sweeping) is harmless.
   */
  private void sweepDeadLetters() {
    try {
      // deadLetters is a producer on the write stream itself, so its groups are this stream's
      String delivered =
          deadLetters.group(GROUP).map(GroupStatus::lastDeliveredId).orElse(null);
      if (delivered == null) {
        return;
      }
      for (int round = 0; round < SWEEP_ROUNDS; round++) {
        String from = swept;
        Range<String> range = from == null
            ? Range.create("-", delivered)
            : Range.from(Range.Boundary.excluding(from), Range.Boundary.including(delivered));
        List<StreamMessage<String, byte[]>> entries =
            redis.execute(c -> c.xrange(stream, range, Limit.from(SWEEP_BATCH)));
        if (entries.isEmpty()) {
          swept = null;
          return;
        }
        Range<String> read = Range.create(
            entries.get(0).getId(), entries.get(entries.size() - 1).getId());
        Set<String> pending = new HashSet<>();
        for (PendingMessage p :
            redis.execute(c -> c.xpending(stream, GROUP, read, Limit.from(entries.size())))) {
          pending.add(p.getId());
        }
        for (StreamMessage<String, byte[]> entry : entries) {
          if (!pending.contains(entry.getId())) {
            String key = keyOf(entry.getBody().get(StreamProducer.PAYLOAD));
            finish(key == null ? "" : key, entry.getId(), "", true);
          }
        }
        swept = entries.get(entries.size() - 1).getId();
        if (entries.size() < SWEEP_BATCH) {
          swept = null;
          return;
        }
      }
    } catch (RuntimeException e) {
      log.debug("write-behind {}: sweeping dead letters failed; retried", name, e);
    }
  }

  /** @return the entry key of a write's payload, or {@code null} if it is not a write */
  private static String keyOf(byte[] payload) {
    if (payload == null) {
      return null;
    }
    try {
      return ENVELOPE.decode(payload) instanceof Map<?, ?> m && m.get("key") instanceof String k
          ? k : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String streamOf(RedisGateway redis, String name) {
    return HashTags.tagged(redis.keys().internal("wb:"), name);
  }

  private static String randomHex() {
    byte[] random = new byte[8];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
