package dev.weft.bench;

import dev.weft.Weft;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * Rate-limit decisions per second: Weft's token bucket and GCRA (programmatic, and GCRA through a
 * compile-time woven {@code @RateLimited} method) against a GCRA script written by hand on Lettuce
 * (the baseline), Bucket4j's Lettuce proxy manager and Redisson's {@code RRateLimiter}, same
 * Redis, same run.
 *
 * <p>Parameters: {@code keys} is one hot key shared by every caller, or 10,000 keys picked at
 * random per call; {@code demand} is a limit far above what this machine can ask for (every
 * decision grants) or 100 per second (on the hot key nearly every decision denies). The limiter
 * is shared by all benchmark threads, as an application shares it.
 *
 * <p>Setup proves that each contender limits as configured: on a fresh key, 200 quick requests
 * must all be granted under the high limit, and under 100 per second between 100 and 100 plus
 * what refilled while they ran. Every key the measurement uses is then touched once, so that
 * per-key objects (Bucket4j's proxies, Redisson's limiter and its rate) exist before measuring.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar RateLimitBenchmark -p demand=UNDER_LIMIT -t 8
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RateLimitBenchmark {

  /** How many requests the limit allows. */
  public enum Demand {
    /** 1,000,000 per second: every decision grants. */
    UNDER_LIMIT(1_000_000),
    /** 100 per second: a hot key is denied almost every time. */
    OVER_LIMIT(100);

    final long permits;

    Demand(long permits) {
      this.permits = permits;
    }
  }

  /** Which keys the callers ask for. */
  public enum Keys {
    /** One key, shared by every caller. */
    HOT(1),
    /** 10,000 keys, one picked at random per call. */
    SPREAD(10_000);

    final int count;

    Keys(int count) {
      this.count = count;
    }
  }

  /** Who decides. */
  public enum Contender {
    /** The baseline: a hand-written GCRA script, EVALSHA on one Lettuce connection. */
    LETTUCE_HANDWRITTEN {
      @Override
      Limiter open(String url, Demand demand) {
        return new HandwrittenGcra(url, demand.permits, WINDOW.toMillis());
      }
    },
    /** {@code RateLimiter} with one {@code TOKEN_BUCKET} limit. */
    WEFT_TOKEN_BUCKET {
      @Override
      Limiter open(String url, Demand demand) {
        return weft(url, RateLimitAlgorithm.TOKEN_BUCKET, demand);
      }
    },
    /** {@code RateLimiter} with one {@code GCRA} limit. */
    WEFT_GCRA {
      @Override
      Limiter open(String url, Demand demand) {
        return weft(url, RateLimitAlgorithm.GCRA, demand);
      }
    },
    /** A {@code @RateLimited(algorithm = GCRA)} method, compile-time woven; a denial throws. */
    WEFT_RATE_LIMITED_CTW {
      @Override
      Limiter open(String url, Demand demand) {
        Weft weft = Weft.builder().redisUrl(url).build();
        Weft.install(weft);
        RateLimitedService service = new RateLimitedService();
        return new Limiter() {
          @Override
          public boolean tryAcquire(String key) {
            try {
              return demand == Demand.UNDER_LIMIT ? service.underLimit(key) : service.overLimit(key);
            } catch (RateLimitExceededException denied) {
              return false;
            }
          }

          @Override
          public void close() {
            weft.close();
          }
        };
      }
    },
    /** Bucket4j's {@code LettuceBasedProxyManager}, a token bucket. */
    BUCKET4J_LETTUCE {
      @Override
      Limiter open(String url, Demand demand) {
        return new Bucket4jLimiter(url, demand.permits, WINDOW);
      }
    },
    /** Redisson's {@code RRateLimiter}, {@code RateType.OVERALL}. */
    REDISSON_RATE_LIMITER {
      @Override
      Limiter open(String url, Demand demand) {
        return new RedissonLimiter(url, demand.permits, WINDOW);
      }
    };

    /**
     * @param url the Redis URL of the run
     * @param demand the limit to configure
     * @return this contender's limiter, with its clients open
     */
    abstract Limiter open(String url, Demand demand);

    private static Limiter weft(String url, RateLimitAlgorithm algorithm, Demand demand) {
      Weft weft = Weft.builder().redisUrl(url).build();
      RateLimiter limiter = weft.rateLimiter(Limit.of(algorithm, demand.permits, WINDOW));
      return new Limiter() {
        @Override
        public boolean tryAcquire(String key) {
          return limiter.tryAcquire(key).allowed();
        }

        @Override
        public void close() {
          weft.close();
        }
      };
    }
  }

  private static final Duration WINDOW = Duration.ofSeconds(1);
  private static final int PROBES = 200;

  /** The contender of this fork, set by JMH. */
  @Param public Contender contender;

  /** The keys asked for, set by JMH. */
  @Param public Keys keys;

  /** The limit, set by JMH. */
  @Param public Demand demand;

  private Limiter limiter;
  private String[] names;

  /**
   * Opens the contender's clients, proves that it limits as configured, and touches every key.
   *
   * @throws Exception if a client fails, or {@link IllegalStateException} if the check fails
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    limiter = contender.open(BenchMain.redisUrl(), demand);
    String probe = "probe:" + contender + ":" + demand + ":" + System.nanoTime();
    long start = System.nanoTime();
    int granted = 0;
    for (int i = 0; i < PROBES; i++) {
      granted += limiter.tryAcquire(probe) ? 1 : 0;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long most = Math.min(PROBES, demand.permits + (long) Math.ceil(seconds * demand.permits) + 1);
    long least = Math.min(PROBES, demand.permits);
    if (granted < least || granted > most) {
      throw new IllegalStateException(
          contender + " granted " + granted + " of " + PROBES + " requests in " + seconds
              + " s under " + demand.permits + " per second; expected " + least + ".." + most);
    }
    names = new String[keys.count];
    for (int i = 0; i < names.length; i++) {
      names[i] = keys == Keys.HOT ? "hot" : "user:" + i;
      limiter.tryAcquire(names[i]);
    }
  }

  /** Closes the contender's clients and their threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    limiter.close();
  }

  /**
   * @return whether the request was granted
   * @throws Exception if the contender's client fails
   */
  @Benchmark
  public boolean decide() throws Exception {
    String[] n = names;
    return limiter.tryAcquire(n.length == 1 ? n[0] : n[ThreadLocalRandom.current().nextInt(n.length)]);
  }
}
