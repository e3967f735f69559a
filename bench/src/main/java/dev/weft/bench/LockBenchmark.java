package dev.weft.bench;

import dev.weft.Weft;
import dev.weft.lock.LockLease;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * Distributed locks: Weft's {@code WeftLock} against Redisson's {@code RLock} and a lock written by
 * hand on Lettuce (the baseline), same Redis, same run.
 *
 * <ul>
 *   <li>{@link #uncontended}: acquire and release per second, each thread on its own key (no
 *       waiting; the cost of the two round trips and of the library around them).
 *   <li>{@link #contended}: every thread takes turns on one key. JMH samples the time of a whole
 *       turn (waiting included); the handoff latency, from the moment a holder starts releasing
 *       until the next holder (any thread) has the lock, is recorded separately and printed as
 *       {@code HANDOFF ... p50 ... p99} at the end of the trial (measurement iterations only).
 * </ul>
 *
 * <p>Every contender renews its lease while held (Weft's and Redisson's watchdogs; the
 * hand-written lock needs none at these durations) and waits without a timeout in {@code
 * contended}. The hand-written lock polls every millisecond while waiting, as simple hand-written
 * locks do; Weft's and Redisson's waiters sleep until a release is published.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar LockBenchmark.uncontended -t 1
 * java -jar bench/target/benchmarks.jar LockBenchmark.contended -t 8
 * </pre>
 */
@State(Scope.Benchmark)
public class LockBenchmark {

  /** Whose lock. */
  public enum Contender {
    /** SET NX PX, then a compare-and-delete script; polls every millisecond while taken. */
    LETTUCE_HANDWRITTEN {
      @Override
      DistributedLockContender open(String url) {
        return new Handwritten(url);
      }
    },
    /** {@code weft.lock(key).acquire(wait)}, released by closing the lease. */
    WEFT {
      @Override
      DistributedLockContender open(String url) {
        return new WeftContender(url);
      }
    },
    /** Redisson's {@code RLock}: {@code lock()} / {@code unlock()}, default watchdog. */
    REDISSON_RLOCK {
      @Override
      DistributedLockContender open(String url) {
        return new RedissonContender(url);
      }
    };

    abstract DistributedLockContender open(String url);
  }

  /** The contender of this fork, set by JMH. */
  @Param public Contender contender;

  private DistributedLockContender locks;
  private final AtomicInteger threadIds = new AtomicInteger();
  private final AtomicLong releasing = new AtomicLong();
  private long[] handoffs = new long[1 << 22];
  private final AtomicInteger recorded = new AtomicInteger();
  private volatile boolean measuring;
  private long[] measured = new long[0];

  /** Each thread's own key for {@link #uncontended}. */
  @State(Scope.Thread)
  public static class OwnKey {
    String key;

    @Setup(Level.Trial)
    public void name(LockBenchmark bench) {
      key = "bench-lock:own:" + bench.threadIds.incrementAndGet();
    }
  }

  /**
   * Opens the contender's clients and proves that its lock excludes another thread.
   *
   * @throws Exception if a client fails, or {@link IllegalStateException} if the check fails
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    locks = contender.open(BenchMain.redisUrl());
    String probe = "bench-lock:probe:" + UUID.randomUUID();
    Object held = locks.lock(probe);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Object second = other.submit(() -> locks.tryLock(probe)).get(30, TimeUnit.SECONDS);
      if (second != null) {
        throw new IllegalStateException(contender + ": another thread got a held lock");
      }
      locks.unlock(probe, held);
      Object third = other.submit(() -> locks.tryLock(probe)).get(30, TimeUnit.SECONDS);
      if (third == null) {
        throw new IllegalStateException(contender + ": a released lock stayed taken");
      }
      other.submit(() -> {
        locks.unlock(probe, third);
        return null;
      }).get(30, TimeUnit.SECONDS);
    } finally {
      other.shutdownNow();
    }
  }

  /** @param params the iteration about to run: handoffs are recorded in measurement ones only */
  @Setup(Level.Iteration)
  public void startIteration(IterationParams params) {
    releasing.set(0);
    recorded.set(0);
    measuring = params.getType() == IterationType.MEASUREMENT;
  }

  /** Keeps the iteration's handoffs. */
  @TearDown(Level.Iteration)
  public void endIteration() {
    if (measuring) {
      int n = Math.min(recorded.get(), handoffs.length);
      long[] all = Arrays.copyOf(measured, measured.length + n);
      System.arraycopy(handoffs, 0, all, measured.length, n);
      measured = all;
    }
  }

  /** Prints the handoff percentiles and closes the contender's clients. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (measured.length > 0) {
      long[] sorted = measured.clone();
      Arrays.sort(sorted);
      System.out.printf(Locale.ROOT,
          "%nHANDOFF %s handoffs %d p50 %.1f us p90 %.1f us p99 %.1f us max %.1f us%n",
          contender, sorted.length, percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.90) / 1e3,
          percentile(sorted, 0.99) / 1e3, sorted[sorted.length - 1] / 1e3);
    }
    locks.close();
  }

  private static double percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  /**
   * Acquire and release a lock nobody else wants.
   *
   * @param own this thread's key
   * @throws Exception if the client fails
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void uncontended(OwnKey own) throws Exception {
    locks.unlock(own.key, locks.lock(own.key));
  }

  /**
   * One turn on a lock every thread wants.
   *
   * @throws Exception if the client fails
   */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void contended() throws Exception {
    String key = "bench-lock:shared";
    Object held = locks.lock(key);
    long acquired = System.nanoTime();
    long released = releasing.get();
    if (released != 0) {
      int i = recorded.getAndIncrement();
      if (i < handoffs.length) {
        handoffs[i] = acquired - released;
      }
    }
    releasing.set(System.nanoTime());
    locks.unlock(key, held);
  }

  /** The baseline: SET NX PX, compare-and-delete by script, a 1 ms poll while taken. */
  static final class Handwritten implements DistributedLockContender {
    private static final String RELEASE =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final String releaseSha;

    Handwritten(String url) {
      client = RedisClient.create(url);
      connection = client.connect();
      redis = connection.sync();
      releaseSha = redis.scriptLoad(RELEASE);
    }

    @Override
    public Object lock(String key) throws InterruptedException {
      while (true) {
        Object held = tryLock(key);
        if (held != null) {
          return held;
        }
        Thread.sleep(1);
      }
    }

    @Override
    public Object tryLock(String key) {
      String token = UUID.randomUUID().toString();
      return "OK".equals(redis.set("hw:" + key, token, SetArgs.Builder.nx().px(30_000))) ? token : null;
    }

    @Override
    public void unlock(String key, Object held) {
      redis.evalsha(releaseSha, ScriptOutputType.INTEGER, new String[] {"hw:" + key}, (String) held);
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }

  /** Weft's programmatic lock; {@code @DistributedLock} runs the same engine. */
  static final class WeftContender implements DistributedLockContender {
    private final Weft weft;

    WeftContender(String url) {
      weft = Weft.builder().redisUrl(url).build();
    }

    @Override
    public Object lock(String key) {
      return weft.lock(key).acquire(Duration.ofDays(1));
    }

    @Override
    public Object tryLock(String key) {
      return weft.lock(key).tryAcquire().orElse(null);
    }

    @Override
    public void unlock(String key, Object held) {
      ((LockLease) held).close();
    }

    @Override
    public void close() {
      weft.close();
    }
  }

  /** Redisson's {@code RLock} with its default single-server client and watchdog. */
  static final class RedissonContender implements DistributedLockContender {
    private final RedissonClient redisson;

    RedissonContender(String url) {
      redisson = Redisson.create(RedisAddress.redisson(url));
    }

    @Override
    public Object lock(String key) {
      RLock lock = redisson.getLock("redisson:" + key);
      lock.lock();
      return lock;
    }

    @Override
    public Object tryLock(String key) {
      RLock lock = redisson.getLock("redisson:" + key);
      return lock.tryLock() ? lock : null;
    }

    @Override
    public void unlock(String key, Object held) {
      ((RLock) held).unlock();
    }

    @Override
    public void close() {
      redisson.shutdown();
    }
  }
}
