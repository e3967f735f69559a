package dev.weft.sample.demo;

import dev.weft.sample.shop.InventoryLine;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives running instances of the service over HTTP with concurrent {@link LoadClient clients} for
 * a fixed time, shows a progress line, and builds a {@link DemoReport} from what the clients saw
 * and from the service's own {@code /metrics}, {@code /inventory}, {@code /stats} and {@code
 * /top}, read before and after. Order events are processed asynchronously, so before each of
 * those reads the demo waits (at most {@link #CATCH_UP_BOUND}) until the stream's consumers have
 * processed every event published.
 */
public final class LoadDemo {

  /** How long the demo waits for the order events' consumers to catch up. */
  static final Duration CATCH_UP_BOUND = Duration.ofSeconds(10);

  private LoadDemo() {}

  /**
   * How the load runs.
   *
   * @param warmUp how long the clients run first, unmeasured, so that the JVMs have compiled the
   *     hot code and the cache holds what a running service's would; zero for none
   * @param duration how long the measured load runs
   * @param clients how many clients send at once, at least 3: one scraper, one order bot, and
   *     shoppers
   */
  public record Settings(Duration warmUp, Duration duration, int clients) {

    /** Checks the settings. */
    public Settings {
      if (warmUp.isNegative()) {
        throw new IllegalArgumentException("the warm-up must not be negative, not " + warmUp);
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("the load must last a positive time, not " + duration);
      }
      if (clients < 3) {
        throw new IllegalArgumentException(
            "the demo needs at least 3 clients (a scraper, an order bot, shoppers), not " + clients);
      }
    }
  }

  /**
   * Runs the load and measures it.
   *
   * @param instances the base URIs of the service's instances, at least one
   * @param settings how long and how many clients
   * @param progress where the progress line is written
   * @param inPlace whether the progress line is rewritten in place (a terminal) or a line is
   *     added per second (a log)
   * @return what the run measured
   * @throws IOException if {@code /metrics} or {@code /inventory} cannot be read
   * @throws InterruptedException if the thread is interrupted
   */
  public static DemoReport run(
      List<URI> instances, Settings settings, PrintStream progress, boolean inPlace)
      throws IOException, InterruptedException {
    ServiceClient service = new ServiceClient(instances);
    Map<String, InventoryLine> stock = service.inventory();
    List<String> skus = new ArrayList<>(stock.keySet());
    Collections.shuffle(skus, new Random(42));
    TreeSet<String> categories = new TreeSet<>();
    stock.values().forEach(line -> categories.add(line.category()));
    LoadClient.Catalogue catalogue = new LoadClient.Catalogue(skus, new ArrayList<>(categories));

    Map<String, String> cookies = new ConcurrentHashMap<>();
    Tally warmUp = new Tally();
    if (!settings.warmUp().isZero()) {
      progress.printf(Locale.ROOT, "  warming up for %d s (not measured)%n", settings.warmUp().toSeconds());
      runClients(service, catalogue, cookies, warmUp, settings.warmUp(), settings.clients(), 0, null);
    }

    awaitConsumers(service);
    Map<String, InventoryLine> stockBefore = service.inventory();
    MetricsSnapshot metricsBefore = service.metrics();
    ServiceClient.Figures figuresBefore = service.figures();
    Tally tally = new Tally();
    Progress line = new Progress(progress, inPlace, tally, settings.duration());
    List<LoadClient> clients =
        runClients(
            service, catalogue, cookies, tally, settings.duration(), settings.clients(), 1000, line);
    Optional<Duration> caughtUp = awaitConsumers(service);

    List<Latencies> cached = new ArrayList<>();
    List<Latencies> uncached = new ArrayList<>();
    for (LoadClient c : clients) {
      cached.add(c.cached());
      uncached.add(c.uncached());
    }
    MetricsSnapshot metricsAfter = service.metrics();
    DemoReport.Figures figures =
        new DemoReport.Figures(
            figuresBefore, service.figures(), service.bestSellers(), caughtUp, warmUp);
    return new DemoReport(
        settings, instances, line.elapsed(), tally, Latencies.merge(cached),
        Latencies.merge(uncached), metricsBefore, metricsAfter, stockBefore,
        service.inventory(), figures);
  }

  /**
   * Waits until the order events' consumers have processed every event published so far.
   *
   * @return how long that took, or empty if they had not within {@link #CATCH_UP_BOUND}
   */
  private static Optional<Duration> awaitConsumers(ServiceClient service)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + CATCH_UP_BOUND.toNanos();
    while (true) {
      MetricsSnapshot m = service.metrics();
      if (DemoReport.eventsConsumed(m) >= DemoReport.eventsPublished(m)) {
        return Optional.of(Duration.ofNanos(System.nanoTime() - start));
      }
      if (System.nanoTime() - deadline >= 0) {
        return Optional.empty();
      }
      Thread.sleep(10);
    }
  }

  /** Runs the clients for {@code duration} and waits until each has its last answer. */
  private static List<LoadClient> runClients(
      ServiceClient service, LoadClient.Catalogue catalogue, Map<String, String> cookies,
      Tally tally, Duration duration, int count, long seed, Progress line)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    List<LoadClient> clients = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      LoadClient.Kind kind =
          i == 0 ? LoadClient.Kind.SCRAPER : i == 1 ? LoadClient.Kind.ORDER_BOT : LoadClient.Kind.SHOPPER;
      LoadClient client =
          new LoadClient(kind, service, catalogue, cookies, tally, deadline, seed + i);
      clients.add(client);
      Thread t = new Thread(client, "load-client-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    if (line != null) {
      line.runUntil(start, deadline);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (line != null) {
      line.finish(System.nanoTime());
    }
    return clients;
  }

  /** The live progress line: elapsed time, requests and their rate, refusals, orders, errors. */
  private static final class Progress {
    private final PrintStream out;
    private final boolean inPlace;
    private final Tally tally;
    private final Duration duration;
    private long start;
    private long end;
    private long lastRequests;
    private long lastNanos;

    Progress(PrintStream out, boolean inPlace, Tally tally, Duration duration) {
      this.out = out;
      this.inPlace = inPlace;
      this.tally = tally;
      this.duration = duration;
    }

    void runUntil(long start, long deadline) throws InterruptedException {
      this.start = start;
      this.lastNanos = start;
      long next = start;
      while (true) {
        next += 1_000_000_000L;
        long wait = Math.min(next, deadline) - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        if (System.nanoTime() - deadline >= 0) {
          return;
        }
        print(System.nanoTime());
      }
    }

    void finish(long now) {
      end = now;
      print(now);
      if (inPlace) {
        out.println();
      }
    }

    /** @return from the start of the load until its last client had its last answer */
    Duration elapsed() {
      return Duration.ofNanos(end - start);
    }

    private void print(long now) {
      long requests = tally.requests.sum();
      double rate = (requests - lastRequests) / Math.max(1e-3, (now - lastNanos) / 1e9);
      lastRequests = requests;
      lastNanos = now;
      String text =
          String.format(
              Locale.ROOT,
              "  %4.1f/%d s  %,7d requests %,6.0f/s   429: %,6d   orders: %,5d   409: %,4d"
                  + "   errors: %d",
              (now - start) / 1e9, duration.toSeconds(), requests, rate, tally.limited(),
              tally.ordersPlaced.sum(), tally.outOfStock.sum(), tally.errors.sum());
      if (inPlace) {
        out.print("\r" + text);
      } else {
        out.println(text);
      }
      out.flush();
    }
  }
}
