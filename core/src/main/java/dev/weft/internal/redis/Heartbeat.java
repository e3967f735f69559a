package dev.weft.internal.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SocketOptions.KeepAliveOptions;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells whether a pub/sub connection still hears its server: the heartbeat of Weft's
 * subscriptions (the change feed and {@code Subscriber}s).
 *
 * <h2>Design</h2>
 *
 * A subscribed connection only receives; when the server stops answering (its process is stopped
 * or hangs, a firewall drops the flow, the host is gone) nothing tells the client, and a near cache
 * would go on serving copies that other processes have long invalidated. Two things find out:
 *
 * <ul>
 *   <li><b>A heartbeat.</b> The owner calls {@link #beat} every {@link #interval()}; it sends a
 *       {@code PING} on the subscribed connection itself (on RESP3, which Lettuce negotiates with
 *       Redis 6 and later, a subscribed connection may run any command), and any reply, as any
 *       message received ({@link #heard()}), proves the server alive and the subscription with
 *       it. A connection that has heard nothing for {@value #MISSES} intervals is {@linkplain
 *       #silent() silent}: its owner treats the subscription as down (near caches stop serving
 *       locally, waiters poll) and re-establishes it. A {@code PING} per second per connection
 *       costs the server nothing; publishing heartbeats on a shared channel instead would cost
 *       every subscriber a message per process and second.
 *   <li><b>TCP keepalive</b> ({@link #socketOptions}): probes after {@link #KEEPALIVE_IDLE} of
 *       silence, so that the kernel closes a connection whose peer is gone (and Lettuce
 *       reconnects) even where no heartbeat runs. It cannot see a server whose kernel still
 *       acknowledges while the process is stopped; the heartbeat can.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class Heartbeat {

  /** How often a subscription is asked whether it is alive, by default. */
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  /** After how many intervals without a word a subscription counts as down. */
  public static final int MISSES = 3;

  /** Idle time before the first TCP keepalive probe. */
  static final Duration KEEPALIVE_IDLE = Duration.ofSeconds(15);

  private static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(5);
  private static final int KEEPALIVE_PROBES = 3;

  private final Duration interval;
  private final long boundNanos;
  private final AtomicInteger unanswered = new AtomicInteger();
  private volatile long heardNanos = System.nanoTime();

  /** @param interval how often {@link #beat} is called, positive */
  public Heartbeat(Duration interval) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("a heartbeat interval must be positive, was " + interval);
    }
    this.interval = interval;
    this.boundNanos = interval.toNanos() * MISSES;
  }

  /** @return how often {@link #beat} should be called */
  public Duration interval() {
    return interval;
  }

  /** @return how long a connection may stay silent before it counts as down */
  public Duration bound() {
    return Duration.ofNanos(boundNanos);
  }

  /** Notes that the server was heard from just now (a reply or a message arrived). */
  public void heard() {
    heardNanos = System.nanoTime();
    unanswered.set(0);
  }

  /**
   * Sends one {@code PING} on {@code connection}, without waiting: its reply, an error reply too,
   * counts as {@linkplain #heard() heard}.
   *
   * @param connection a subscribed connection, not {@code null}
   */
  public void beat(StatefulRedisPubSubConnection<?, ?> connection) {
    try {
      unanswered.incrementAndGet();
      connection.async().ping().whenComplete((pong, error) -> {
        if (error == null || error instanceof RedisCommandExecutionException) {
          heard();
        }
      });
    } catch (RuntimeException e) {
      // rejected while disconnected: nothing heard
    }
  }

  /**
   * @return whether nothing was heard for {@link #bound()}, while {@value #MISSES} beats went
   *     unanswered (so that a late scheduler, not the server, never makes a connection silent)
   */
  public boolean silent() {
    return unanswered.get() >= MISSES && System.nanoTime() - heardNanos > boundNanos;
  }

  /**
   * Socket options for a subscription's connection: the connect timeout, and TCP keepalive with
   * probes after {@link #KEEPALIVE_IDLE} (the extended options need epoll, io_uring or NIO on
   * Java 11 and later; Lettuce uses plain {@code SO_KEEPALIVE} where they are missing).
   *
   * @param connectTimeout how long a connect may take, positive
   * @return the options, never {@code null}
   */
  public static SocketOptions socketOptions(Duration connectTimeout) {
    return SocketOptions.builder()
        .connectTimeout(connectTimeout)
        .keepAlive(KeepAliveOptions.builder()
            .enable()
            .idle(KEEPALIVE_IDLE)
            .interval(KEEPALIVE_INTERVAL)
            .count(KEEPALIVE_PROBES)
            .build())
        .build();
  }
}
