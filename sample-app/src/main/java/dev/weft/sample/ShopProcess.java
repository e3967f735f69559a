package dev.weft.sample;

import dev.weft.Weft;
import dev.weft.sample.shop.Database;
import dev.weft.sample.shop.Shop;
import dev.weft.sample.web.IpRateLimit;
import dev.weft.sample.web.Login;
import dev.weft.sample.web.ServerContext;
import dev.weft.sample.web.ShopServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one process of the shop runs: a Weft runtime on the given Redis (installed as the
 * runtime woven methods use), a new database, the Prometheus registry, the session store, and any
 * number of {@link ShopServer} instances over them (each with its own consumer of order events). Closing it stops all of that, in reverse order.
 */
public final class ShopProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ShopProcess.class);

  private final Weft weft;
  private final PrometheusMeterRegistry registry;
  private final Database database;
  private final ServerContext context;
  private final List<ShopServer> servers = new ArrayList<>();

  private ShopProcess(
      Weft weft, PrometheusMeterRegistry registry, Database database, ServerContext context) {
    this.weft = weft;
    this.registry = registry;
    this.database = database;
    this.context = context;
  }

  /**
   * Starts the process's shared parts; no server yet.
   *
   * @param redisUrl the Redis to use, not {@code null}
   * @param databaseLatency the extra latency of every database statement, see {@link Database}
   * @return the process
   * @throws IllegalStateException if Weft's annotations are not woven into this process
   */
  public static ShopProcess start(String redisUrl, Duration databaseLatency) {
    String weaving =
        Weaving.of(dev.weft.sample.shop.Catalog.class)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Weft's annotations are not woven into this process, so they would do"
                            + " nothing: build the sample with ajc (the default build) or run it"
                            + " with -javaagent:weft-agent.jar (the agent profile); see the README"));
    Weft weft = Weft.builder().redisUrl(redisUrl).commandTimeout(Duration.ofMillis(500)).build();
    Weft.install(weft);
    clearSampleKeys(weft);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics.addRegistry(registry);
    Database database = Database.open(databaseLatency, registry);
    Shop shop = Shop.over(database, weft, registry);
    clearAnalytics(shop);
    ServerContext context =
        new ServerContext(
            weft, shop, new Login(weft, registry), new IpRateLimit(weft, registry), registry,
            weaving);
    return new ShopProcess(weft, registry, database, context);
  }

  /**
   * Starts one more instance of the service.
   *
   * @param port the TCP port on 127.0.0.1, or 0 for any free one
   * @param restockEvery how often the instance triggers the restock job, or {@code null} for never
   * @return the running instance
   */
  public synchronized ShopServer startServer(int port, Duration restockEvery) {
    ShopServer server = ShopServer.start(context, port, restockEvery);
    servers.add(server);
    return server;
  }

  /** @return the base URIs of the instances started, in order */
  public synchronized List<URI> uris() {
    return servers.stream().map(ShopServer::uri).toList();
  }

  /** @return the shop's services, for tests that look inside */
  public Shop shop() {
    return context.shop();
  }

  /** @return how Weft's annotations were woven into this process */
  public String weaving() {
    return context.weaving();
  }

  /** @return the extra latency of every database statement */
  public Duration databaseLatency() {
    return database.latency();
  }

  /** Stops the instances, then the database and the Weft runtime. */
  @Override
  public synchronized void close() {
    servers.forEach(ShopServer::close);
    servers.clear();
    database.close();
    Metrics.removeRegistry(registry);
    registry.close();
    weft.close();
  }

  /**
   * The database is new on every start, so cached entries of an earlier run would be stale:
   * removes the sample's own keys (cache entries and tag indexes, and the stream of order events
   * with its consumer group), and nothing else of a server that may be shared.
   */
  /**
   * The best-seller board and the per-minute counts must match the new database too; sessions
   * are kept (they name users, not orders).
   */
  private static void clearAnalytics(Shop shop) {
    try {
      shop.analytics().clear();
    } catch (RuntimeException e) {
      LOG.warn("Could not clear the figures of an earlier run: {}", e.toString());
    }
  }

  private static void clearSampleKeys(Weft weft) {
    try {
      weft.invalidateNamespace("weft-sample:");
      weft.invalidateNamespace("weft:tag:weft-sample:");
    } catch (RuntimeException e) {
      LOG.warn("Could not clear the sample's cache entries from an earlier run: {}", e.toString());
    }
  }
}
