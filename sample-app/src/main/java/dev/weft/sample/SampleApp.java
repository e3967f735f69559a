package dev.weft.sample;

import dev.weft.sample.demo.DemoReport;
import dev.weft.sample.demo.LoadDemo;
import dev.weft.sample.web.ShopServer;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The Weft sample: a small shop service with Redis in front of its database.
 *
 * <ul>
 *   <li>{@code demo} (the default) starts two instances of the service, drives them over HTTP with
 *       concurrent clients for a few seconds, and prints a report of what Weft did: cache hit
 *       ratio, database queries avoided, latency with the cache on and off, requests
 *       rate-limited, lock waits, sessions, order events, best sellers and counters, with the
 *       stock and the figures checked against the database. Exits 1 if either does not add up.
 *   <li>{@code serve} runs one instance on 127.0.0.1:8080 until stopped.
 * </ul>
 *
 * <p>See {@link Options#USAGE} for the options, and the README for the endpoints.
 */
public final class SampleApp {

  private static final Duration RESTOCK_EVERY = Duration.ofSeconds(1);

  private SampleApp() {}

  /**
   * @param args see {@link Options#USAGE}
   * @throws Exception if the service cannot start or the demo cannot read the service's figures
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("help") || args[0].equals("--help"))) {
      System.out.println(Options.USAGE);
      return;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    int status;
    try {
      status = options.mode().equals("serve") ? serve(options, System.out) : demo(options, System.out);
    } catch (IllegalStateException | UncheckedIOException e) {
      // Not woven, no Redis could be started, or the port is taken: say so plainly.
      System.err.println(e.getMessage());
      status = 2;
    }
    System.exit(status);
  }

  /**
   * Runs the demo: two instances, the load, the report.
   *
   * @param options the command line
   * @param out where the report goes
   * @return 0 if the stock adds up and the figures agree with the database, 1 if not
   * @throws Exception if the service cannot start or its figures cannot be read
   */
  static int demo(Options options, PrintStream out) throws Exception {
    try (RedisChoice redis = RedisChoice.fromEnvironment();
        ShopProcess process = ShopProcess.start(redis.url(), options.databaseLatency())) {
      process.startServer(0, RESTOCK_EVERY);
      process.startServer(0, RESTOCK_EVERY);
      out.println("Weft sample: demo");
      printSetup(out, redis, process);
      out.println();
      DemoReport report =
          LoadDemo.run(
              process.uris(),
              new LoadDemo.Settings(
                  Duration.ofSeconds(options.warmUpSeconds()),
                  Duration.ofSeconds(options.seconds()),
                  options.clients()),
              out,
              System.console() != null);
      out.println();
      report.print(out);
      return report.passed() ? 0 : 1;
    }
  }

  /**
   * Runs one instance until the JVM is stopped.
   *
   * @param options the command line
   * @param out where the start-up lines go
   * @return 0 once stopped
   * @throws InterruptedException if interrupted while running
   */
  static int serve(Options options, PrintStream out) throws InterruptedException {
    RedisChoice redis = RedisChoice.fromEnvironment();
    ShopProcess process = ShopProcess.start(redis.url(), options.databaseLatency());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  process.close();
                  redis.close();
                  stopped.countDown();
                }));
    ShopServer server = process.startServer(options.port(), RESTOCK_EVERY);
    out.println("Weft sample: serving on " + server.uri() + " until stopped (Ctrl-C)");
    printSetup(out, redis, process);
    out.println("  try       curl " + server.uri() + "/products/kb-01");
    out.println("            curl -c cookies -H 'Content-Type: application/json' -d '{\"user\": \"ann\"}' "
        + server.uri() + "/login");
    out.println("            curl -b cookies -H 'Content-Type: application/json' -d '{\"sku\":"
        + " \"kb-01\", \"quantity\": 1}' " + server.uri() + "/orders");
    out.println("            curl " + server.uri() + "/top ; curl " + server.uri() + "/stats");
    out.println("            curl " + server.uri() + "/health ; curl " + server.uri() + "/metrics");
    stopped.await();
    return 0;
  }

  private static void printSetup(PrintStream out, RedisChoice redis, ShopProcess process) {
    out.println("  weaving   " + process.weaving());
    out.println("  Redis     " + redis.description());
    out.println("  database  H2 in memory, over JDBC; each statement +"
        + process.databaseLatency().toMillis() + " ms, standing for the network hop to a"
        + " database server");
  }
}
