package dev.weft.stream;

import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.redis.Secrets;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of one group: reads, reclaims, calls the listener, acknowledges. Runs on its own
 * thread with its own connection; see {@link StreamConsumers} for the design.
 */
final class ConsumerLoop implements Runnable {

  /** The most dead letters kept per stream, approximately. */
  static final long DEAD_LETTER_MAX_LEN = 10_000;

  private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
  /** The longest a read blocks, waiting for new entries. */
  static final Duration MAX_BLOCK = Duration.ofSeconds(1);
  private static final long MIN_PAUSE_MILLIS = 10;
  private static final long MAX_PAUSE_MILLIS = 1_000;
  private static final int CLAIM_ROUNDS = 10;
  private static final String START = "0-0";

  /** Calls the listener. */
  @FunctionalInterface
  interface Invoker {
    void invoke(Object message, String entryId) throws Exception;
  }

  private final String stream;
  private final String dead;
  private final String group;
  private final Consumer<String> consumer;
  private final ConsumerOptions options;
  private final TypedCodec codec;
  private final String listener;
  private final Invoker invoker;
  private final Supplier<StatefulConnection<String, byte[]>> connector;
  private final Function<StatefulConnection<String, byte[]>, RedisClusterCommands<String, byte[]>>
      commandsOf;
  private final Duration block;
  private final long claimEveryNanos;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private volatile boolean running = true;
  private StatefulConnection<String, byte[]> connection;
  private RedisClusterCommands<String, byte[]> redis;

  ConsumerLoop(String stream, String group, String consumerName, ConsumerOptions options,
      TypedCodec codec, String listener, Invoker invoker,
      Supplier<StatefulConnection<String, byte[]>> connector,
      Function<StatefulConnection<String, byte[]>, RedisClusterCommands<String, byte[]>>
          commandsOf) {
    this.stream = stream;
    this.dead = stream + StreamProducer.DEAD_SUFFIX;
    this.group = group;
    this.consumer = Consumer.from(group, consumerName);
    this.options = options;
    this.codec = codec;
    this.listener = listener;
    this.invoker = invoker;
    this.connector = connector;
    this.commandsOf = commandsOf;
    Duration claimEvery = options.minIdle().dividedBy(2);
    if (claimEvery.compareTo(Duration.ofMillis(100)) < 0) {
      claimEvery = Duration.ofMillis(100);
    } else if (claimEvery.compareTo(Duration.ofSeconds(10)) > 0) {
      claimEvery = Duration.ofSeconds(10);
    }
    this.claimEveryNanos = claimEvery.toNanos();
    this.block = claimEvery.compareTo(MAX_BLOCK) < 0 ? claimEvery : MAX_BLOCK;
  }

  String consumerName() {
    return consumer.getName();
  }

  /** Asks the loop to stop after the entry in hand; does not wait. */
  void stop() {
    running = false;
    stopped.countDown();
  }

  @Override
  public void run() {
    long nextClaim = System.nanoTime();
    boolean groupReady = false;
    boolean failing = false;
    long pause = MIN_PAUSE_MILLIS;
    try {
      while (running) {
        try {
          if (redis == null) {
            connection = connector.get();
            redis = commandsOf.apply(connection);
          }
          if (!groupReady) {
            createGroup();
            groupReady = true;
          }
          if (System.nanoTime() - nextClaim >= 0) {
            reclaim();
            nextClaim = System.nanoTime() + claimEveryNanos;
          }
          List<StreamMessage<String, byte[]>> batch = redis.xreadgroup(consumer,
              XReadArgs.Builder.block(block).count(options.batch()),
              XReadArgs.StreamOffset.lastConsumed(stream));
          for (StreamMessage<String, byte[]> m : batch) {
            if (!running) {
              break; // the rest stays pending and is claimed by another consumer after minIdle
            }
            process(m, 1);
          }
          if (failing) {
            log.info("Weft stream consumer {} of {}/{} reaches Redis again", consumer.getName(),
                stream, group);
            failing = false;
          }
          pause = MIN_PAUSE_MILLIS;
        } catch (RedisCommandExecutionException e) {
          if (isNoGroup(e)) {
            // The stream or group is gone: deleted, or the server restarted without its data.
            log.warn("Weft stream consumer {}: group {} of stream {} is gone; creating it again",
                consumer.getName(), group, stream);
            groupReady = false;
          } else {
            failing = failed(e, failing);
            pause = pause(pause);
          }
        } catch (RuntimeException e) {
          if (!running) {
            break;
          }
          failing = failed(e, failing);
          pause = pause(pause);
        }
      }
    } finally {
      closeConnection();
    }
  }

  private boolean failed(RuntimeException e, boolean failing) {
    if (!failing) {
      log.warn("Weft stream consumer {} of {}/{} cannot reach Redis, retrying: {}",
          consumer.getName(), stream, group, Secrets.redact(e.toString()));
    } else {
      log.debug("Weft stream consumer {} still failing", consumer.getName(), Secrets.scrub(e));
    }
    return true;
  }

  private long pause(long millis) {
    try {
      stopped.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
    return Math.min(millis * 2, MAX_PAUSE_MILLIS);
  }

  private void createGroup() {
    try {
      redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, START), group,
          XGroupCreateArgs.Builder.mkstream());
    } catch (RedisCommandExecutionException e) {
      // Lettuce maps replies starting with BUSY to RedisBusyException, a subclass
      if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
        throw e;
      }
    }
  }

  /**
   * Claims entries pending longer than minIdle (this consumer's own failures included), in a few
   * rounds of one batch each, and processes them.
   */
  private void reclaim() {
    String start = START;
    for (int round = 0; round < CLAIM_ROUNDS && running; round++) {
      ClaimedMessages<String, byte[]> claimed = redis.xautoclaim(stream,
          XAutoClaimArgs.Builder.xautoclaim(consumer, options.minIdle(), start)
              .count(options.batch()));
      for (StreamMessage<String, byte[]> m : claimed.getMessages()) {
        if (!running) {
          return;
        }
        process(m, deliveries(m.getId()));
      }
      start = claimed.getId();
      if (start == null || START.equals(start)) {
        return;
      }
    }
  }

  /** @return how many times the entry was delivered, counting the claim just made */
  private long deliveries(String id) {
    List<PendingMessage> pending =
        redis.xpending(stream, consumer, Range.create(id, id), Limit.from(1));
    return pending.isEmpty() ? 1 : pending.get(0).getRedeliveryCount();
  }

  private void process(StreamMessage<String, byte[]> entry, long deliveries) {
    String id = entry.getId();
    Map<String, byte[]> body = entry.getBody();
    if (body == null || body.isEmpty()) {
      // claimed after the stream was trimmed past it (Redis 6.2 returns such entries empty)
      redis.xack(stream, group, id);
      return;
    }
    int max = options.maxDeliveries();
    if (max > 0 && deliveries > max) {
      deadLetter(entry, deliveries, "not acknowledged after " + (deliveries - 1)
          + " deliveries: its method failed or its consumer died or hung while processing it");
      return;
    }
    Object message;
    try {
      byte[] json = body.get(StreamProducer.PAYLOAD);
      if (json == null) {
        throw new IOException("the entry has no field \"" + StreamProducer.PAYLOAD + "\"");
      }
      message = codec.decode(json);
      if (message == null) {
        throw new IOException("the payload is JSON null");
      }
    } catch (IOException e) {
      log.warn("Weft stream consumer {}: entry {} of {} cannot be read as {}; dead-lettered: {}",
          consumer.getName(), id, stream, codec.typeName(), e.getMessage());
      deadLetter(
          entry, deliveries, "cannot be read as " + codec.typeName() + ": " + e.getMessage());
      return;
    }
    try {
      invoker.invoke(message, id);
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      if (max > 0 && deliveries >= max) {
        log.warn("{} failed on entry {} of {} (delivery {} of {}); dead-lettered to {}", listener,
            id, stream, deliveries, max, dead, e);
        deadLetter(entry, deliveries, e.toString());
      } else {
        log.warn("{} failed on entry {} of {} (delivery {}); it stays pending and is retried"
            + " after {}", listener, id, stream, deliveries, options.minIdle(), e);
      }
      return;
    }
    redis.xack(stream, group, id);
  }

  /**
   * Adds the entry to the dead letters, then acknowledges it. Two commands, not one script: the
   * dead-letter stream may live in another cluster slot. A crash between them dead-letters the
   * entry a second time, later; it never loses it.
   */
  private void deadLetter(StreamMessage<String, byte[]> entry, long deliveries, String error) {
    Map<String, byte[]> letter = new LinkedHashMap<>();
    letter.put("entry", utf8(entry.getId()));
    letter.put("group", utf8(group));
    letter.put("consumer", utf8(consumer.getName()));
    letter.put("deliveries", utf8(Long.toString(deliveries)));
    letter.put("error", utf8(error));
    byte[] payload = entry.getBody().get(StreamProducer.PAYLOAD);
    letter.put(StreamProducer.PAYLOAD, payload == null ? new byte[0] : payload);
    redis.xadd(dead, XAddArgs.Builder.maxlen(DEAD_LETTER_MAX_LEN).approximateTrimming(), letter);
    redis.xack(stream, group, entry.getId());
  }

  private static boolean isNoGroup(RedisCommandExecutionException e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOGROUP");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void closeConnection() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (RuntimeException e) {
      log.debug("error while closing a stream consumer's connection", e);
    }
  }
}
