package dev.weft.internal.counter;

import dev.weft.Weft;
import dev.weft.annotation.Counted;
import dev.weft.counter.Counter;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.Granularity;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.plan.Invocation;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.plan.RuntimeRef;
import dev.weft.internal.plan.Step;
import dev.weft.internal.redis.RedisUnavailableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code @Counted} of a method: when a call completes with an outcome it counts, adds 1 to
 * the current bucket of the rendered key in the counter {@code name}, without waiting for Redis.
 *
 * <h2>Design</h2>
 *
 * <p><b>Never in the caller's way.</b> Counting is a side effect the caller did not ask for, so it
 * must cost the call nothing it can notice: the increment goes out through {@link
 * Counter#incrementAsync} (the gateway's asynchronous path: written to the shared connection, the
 * reply handled on Lettuce's I/O thread), and nothing here throws. A Redis failure, an open
 * circuit breaker, a key that cannot be rendered: the call is not counted, {@code
 * weft.counted.errors} is incremented ({@link CountedMetrics}) and the failure logged, outages at
 * DEBUG (the gateway logs each outage once, for the whole runtime) and anything else (an error
 * reply, a property getter that throws, a key that renders empty) at WARN at most every 30 s,
 * with the number held back. There is no retry and no local buffer: an increment that Redis did
 * not take is gone, so counts are exact while Redis answers and a lower bound across an outage,
 * and memory never grows with one. (A retried increment could also count twice, when the reply,
 * not the command, was lost.)
 *
 * <p><b>The runtime per call.</b> The counter is bound to the runtime the call uses (its method's
 * {@link RuntimeRef}, read when the call completes) and rebound when another runtime takes its
 * place, as the other steps look theirs up per call; {@link Weft#counter(String, CounterOptions)}
 * costs no round trip. A method that names a runtime never built counts nothing and logs why, like
 * any other failure to count: the call itself goes on.
 *
 * <p>The key template, name and options are parsed and checked once, when the method's plan is
 * built.
 */
public final class CountedStep implements Step {

  private static final Logger log = LoggerFactory.getLogger(CountedStep.class);
  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final String method;
  private final KeyTemplate key;
  private final String name;
  private final CounterOptions options;
  private final Counted.Outcome outcome;
  private final AtomicLong nextWarnAt = new AtomicLong(System.nanoTime());
  private final AtomicLong suppressed = new AtomicLong();
  private volatile Bound bound;

  /** The counter of one runtime, and this step's meters in that runtime's registry. */
  private record Bound(Weft weft, Counter counter, CountedMetrics metrics) {}

  /**
   * @param method the method as people read it, for messages and metrics
   * @param key the compiled key template, not {@code null}
   * @param name the counter's name, already checked
   * @param options the counter's granularity and retention, not {@code null}
   * @param outcome which completed calls count, not {@code null}
   */
  public CountedStep(
      String method, KeyTemplate key, String name, CounterOptions options,
      Counted.Outcome outcome) {
    this.method = method;
    this.key = key;
    this.name = name;
    this.options = options;
    this.outcome = outcome;
  }

  /**
   * @param granularity an annotation's granularity, not {@code null}
   * @return weft-core's granularity of the same name
   */
  public static Granularity granularity(Counted.Granularity granularity) {
    return Granularity.valueOf(granularity.name());
  }

  /** Nothing before the call: a call is counted when it completes. */
  @Override
  public Object before(Invocation call) {
    return null;
  }

  /**
   * Counts the call as its caller made it: not a background refresh's re-invocation.
   *
   * @return {@code result}
   */
  @Override
  public Object after(Invocation call, Object state, Object result, Throwable thrown) {
    if (!call.refresh()) {
      completed(call, thrown != null);
    }
    return result;
  }

  /**
   * Counts one completed call, if its outcome is one this counter counts. Never throws and never
   * waits for Redis.
   *
   * @param call the call, with its arguments as the caller passed them
   * @param failed whether the call threw (or its future completed exceptionally)
   */
  private void completed(Invocation call, boolean failed) {
    if (outcome == (failed ? Counted.Outcome.SUCCESS : Counted.Outcome.FAILURE)) {
      return;
    }
    String rendered = null;
    CountedMetrics metrics = null;
    try {
      Bound b = bound(call.weft());
      metrics = b.metrics();
      rendered = key.render(call.args());
      String counted = rendered;
      CountedMetrics meters = metrics;
      b.counter()
          .incrementAsync(counted)
          .whenComplete(
              (bucket, failure) -> {
                if (failure != null) {
                  notCounted(meters, counted, failure);
                }
              });
    } catch (RuntimeException e) {
      notCounted(metrics, rendered, e);
    }
  }

  private Bound bound(Weft weft) {
    Bound b = bound;
    if (b == null || b.weft() != weft) {
      b = new Bound(weft, weft.counter(name, options),
          CountedMetrics.create(WeftAccess.redis(weft).meterRegistry(), method, name));
      bound = b;
    }
    return b;
  }

  /**
   * @param metrics the meters of the call's runtime, or {@code null} when it could not be had:
   *     then the global registry's
   */
  private void notCounted(CountedMetrics metrics, String rendered, Throwable failure) {
    try {
      (metrics != null ? metrics : CountedMetrics.create(null, method, name)).error();
      Throwable cause = failure;
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String under = rendered == null ? key.source() : rendered;
      if (cause instanceof RedisUnavailableException) {
        log.debug("{}: a call was not counted in counter '{}' under '{}': {}",
            method, name, under, cause.getMessage());
        return;
      }
      long now = System.nanoTime();
      long next = nextWarnAt.get();
      if (now - next >= 0 && nextWarnAt.compareAndSet(next, now + WARN_INTERVAL_NANOS)) {
        long held = suppressed.getAndSet(0);
        log.warn("{}: @Counted could not count a call in counter '{}' under '{}' ({}); the call"
                + " went on uncounted{}",
            method, name, under, cause.toString(),
            held > 0 ? " (" + held + " similar failures since the last warning)" : "");
      } else {
        suppressed.incrementAndGet();
        log.debug("{}: @Counted could not count a call in counter '{}' under '{}'",
            method, name, under, cause);
      }
    } catch (RuntimeException e) {
      // a broken logger or registry must not reach the caller either
    }
  }

  /** @return the counter's name, never {@code null} */
  public String name() {
    return name;
  }

  /** @return the counter's options, never {@code null} */
  public CounterOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return "@Counted(key = \"" + key.source() + "\", name = \"" + name + "\", " + options + ", "
        + outcome + ")";
  }
}
