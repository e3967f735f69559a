package dev.weft.internal.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One caller's wait for a key to change, between attempts that found it not ready: a lock still
 * held, a queue still empty, an entry another process is still loading. The caller {@linkplain
 * #listen() listens}, makes its attempt, and if that failed {@linkplain #await() awaits} the next
 * change of the key, the deadline, or the next re-check, whichever comes first; then it tries
 * again.
 *
 * <pre>{@code
 * KeyWaiter waiter = KeyWaiter.on(feed, key, deadline, PACE);
 * while (true) {
 *   waiter.listen();                      // before asking, so no change slips in between
 *   if (attempt()) return true;
 *   if (!waiter.await()) return false;    // the deadline has passed
 * }
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * A waiter does not spin. It sleeps on the {@link ChangeFeed}'s future for the key, which the
 * script that changes the key completes by publishing it (one subscription per runtime, one
 * future per key, however many waiters). It takes that future <em>before</em> each attempt, so a
 * change made between a failed attempt and the sleep still wakes it. A publish can still be missed
 * (the feed is down, or the user has no channel rights), so every sleep is bounded and the caller
 * then re-checks: by the {@link Pace}'s bound while the feed is {@linkplain ChangeFeed#live()
 * live}, and otherwise by a polling interval that starts at the pace's minimum and doubles after
 * each sleep that no change ended, up to its maximum (it starts over once the feed is live
 * again). A pace without a bound for a live feed polls that way all the time. The caller may
 * shorten one sleep further with what its attempt learnt, such as the holder's remaining lease.
 * No sleep outlasts the deadline.
 *
 * <p>An interrupt ends the wait with {@link InterruptedException}, the thread's flag cleared as
 * {@link CompletableFuture#get} leaves it; the caller decides what that means.
 *
 * <p>An instance serves one caller's loop on one thread; it is not thread-safe.
 */
public final class KeyWaiter {

  /**
   * How often one kind of waiter re-checks when no change wakes it.
   *
   * @param minPoll the first polling interval, positive
   * @param maxPoll the longest polling interval, not below {@code minPoll}
   * @param whileLive the longest sleep while the change feed is live; {@code null} to poll with
   *     backoff whether or not it is
   */
  public record Pace(Duration minPoll, Duration maxPoll, Duration whileLive) {

    /** Checks the bounds. */
    public Pace {
      Objects.requireNonNull(minPoll, "minPoll");
      Objects.requireNonNull(maxPoll, "maxPoll");
      if (minPoll.isNegative() || minPoll.isZero() || maxPoll.compareTo(minPoll) < 0) {
        throw new IllegalArgumentException(
            "polling must start positive and not shrink, was " + minPoll + " to " + maxPoll);
      }
      if (whileLive != null && (whileLive.isNegative() || whileLive.isZero())) {
        throw new IllegalArgumentException("whileLive must be positive, was " + whileLive);
      }
    }
  }

  private final ChangeFeed feed;
  private final String key;
  private final long deadline;
  private final long minPollMillis;
  private final long maxPollMillis;
  private final long whileLiveMillis;
  private long pollMillis;
  private CompletableFuture<Void> change;

  private KeyWaiter(ChangeFeed feed, String key, long deadline, Pace pace) {
    this.feed = feed;
    this.key = key;
    this.deadline = deadline;
    this.minPollMillis = pace.minPoll().toMillis();
    this.maxPollMillis = pace.maxPoll().toMillis();
    this.whileLiveMillis = pace.whileLive() == null ? 0 : pace.whileLive().toMillis();
    this.pollMillis = minPollMillis;
  }

  /**
   * @param feed the runtime's change feed, not {@code null}
   * @param key the Redis key whose changes are announced on {@code feed}, not {@code null}
   * @param deadline when to stop waiting, as {@link System#nanoTime()}
   * @param pace how often to re-check, not {@code null}
   * @return a waiter for one caller's loop, never {@code null}; nothing is subscribed yet
   */
  public static KeyWaiter on(ChangeFeed feed, String key, long deadline, Pace pace) {
    return new KeyWaiter(
        Objects.requireNonNull(feed, "feed"), Objects.requireNonNull(key, "key"), deadline,
        Objects.requireNonNull(pace, "pace"));
  }

  /**
   * Starts listening for the next change of the key; call it before each attempt. Does nothing
   * once the deadline has passed (there is nothing left to wait for), so a caller that may not
   * wait at all never touches the feed.
   */
  public void listen() {
    if (deadline - System.nanoTime() > 0) {
      change = feed.nextChange(key);
    }
  }

  /**
   * As {@link #await(long)} with no bound of the caller's.
   *
   * @return {@code false} if the deadline had passed, without waiting; else {@code true}
   * @throws InterruptedException if the thread was interrupted while waiting
   */
  public boolean await() throws InterruptedException {
    return await(0);
  }

  /**
   * Waits until the key changes (since the last {@link #listen()}), the pace says to re-check, at
   * most {@code withinMillis}, or the deadline, whichever comes first.
   *
   * @param withinMillis the longest this wait may take if positive, such as the holder's
   *     remaining lease; zero or negative for no such bound
   * @return {@code false} if the deadline had passed, without waiting; else {@code true}, after
   *     the wait: try again
   * @throws InterruptedException if the thread was interrupted while waiting
   */
  public boolean await(long withinMillis) throws InterruptedException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      return false;
    }
    boolean polling = whileLiveMillis == 0 || !feed.live();
    long bound;
    if (polling) {
      bound = pollMillis;
    } else {
      bound = whileLiveMillis;
      pollMillis = minPollMillis;
    }
    if (withinMillis > 0) {
      bound = Math.min(bound, withinMillis);
    }
    long pause = Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(bound));
    CompletableFuture<Void> next = change;
    change = null;
    if (next == null) {
      TimeUnit.NANOSECONDS.sleep(pause);
    } else {
      try {
        next.get(pause, TimeUnit.NANOSECONDS);
        return true;
      } catch (ExecutionException e) {
        // the feed's futures never fail; a failure is as good as a change: look again
        return true;
      } catch (TimeoutException e) {
        // nothing announced: re-check, as the pace says
      }
    }
    if (polling) {
      pollMillis = Math.min(pollMillis * 2, maxPollMillis);
    }
    return true;
  }

  /** @return the next polling interval in milliseconds, for tests */
  long pollMillis() {
    return pollMillis;
  }
}
