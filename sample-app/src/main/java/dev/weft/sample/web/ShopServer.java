package dev.weft.sample.web;

import com.sun.net.httpserver.HttpServer;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.sample.shop.OrderAnalyticsListener;
import dev.weft.stream.StreamConsumers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of the shop service: an HTTP server on the loopback interface, the scheduler of
 * the restock job, and a consumer of the order events ({@link OrderAnalyticsListener}, in the
 * group every instance shares). Several instances may run over one {@link ServerContext}, as replicas behind a
 * load balancer would; the state they share lives in the database and in Redis.
 *
 * <p>Why the JDK's {@code com.sun.net.httpserver}: the sample is about what Weft does to plain
 * methods, and this server adds no dependency, no annotations and no proxies of its own, so
 * every line between a request and a woven method is in this package. A production service would
 * pick a framework for routing, content negotiation and TLS; Weft's annotations work the same
 * there, since they are woven into the methods, not into a framework's beans.
 */
public final class ShopServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ShopServer.class);
  private static final int HTTP_THREADS = 32;

  static {
    // The JDK server writes a response's headers and body separately; without TCP_NODELAY,
    // Nagle's algorithm holds the body back until the client's delayed ACK, about 40 ms later.
    // Read once, when the server's configuration class loads, so it is set before any server.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService http;
  private final ScheduledExecutorService scheduler;
  private final StreamConsumers consumers;

  private ShopServer(
      HttpServer server, ExecutorService http, ScheduledExecutorService scheduler,
      StreamConsumers consumers) {
    this.server = server;
    this.http = http;
    this.scheduler = scheduler;
    this.consumers = consumers;
  }

  /**
   * Starts an instance.
   *
   * @param context what the instance serves, not {@code null}
   * @param port the TCP port on 127.0.0.1, or 0 for any free one
   * @param restockEvery how often this instance triggers the restock job, or {@code null} for
   *     never
   * @return the running instance
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static ShopServer start(ServerContext context, int port, Duration restockEvery) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    List<Route> routes = new ArrayList<>(new ShopApi(context.shop(), context.login()).routes());
    routes.addAll(context.login().routes());
    routes.addAll(
        new OpsApi(context.shop().repository(), context.weft(), context.registry(), context.weaving())
            .routes());
    server.createContext("/", new Router(routes, context.ipLimit(), context.registry()));
    int bound = server.getAddress().getPort();
    StreamConsumers consumers =
        context.weft().streamConsumers(new OrderAnalyticsListener(
                context.shop().analytics(), context.registry(), Integer.toString(bound)));
    ExecutorService http = Executors.newFixedThreadPool(HTTP_THREADS, threads("http-" + bound));
    server.setExecutor(http);
    server.start();

    ScheduledExecutorService scheduler = null;
    if (restockEvery != null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(threads("restock-" + bound));
      AtomicBoolean failing = new AtomicBoolean();
      scheduler.scheduleAtFixedRate(
          () -> triggerRestock(context, failing),
          restockEvery.toMillis(), restockEvery.toMillis(), TimeUnit.MILLISECONDS);
    }
    return new ShopServer(server, http, scheduler, consumers);
  }

  /** @return the base URI, such as {@code http://127.0.0.1:8080} */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Stops the scheduler, then the server (requests still in progress are cut off), then the
   * instance's stream consumer, after the event in hand.
   */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    server.stop(0);
    http.shutdownNow();
    consumers.close();
  }

  private static void triggerRestock(ServerContext context, AtomicBoolean failing) {
    try {
      context.shop().restockJob().trigger();
      if (failing.compareAndSet(true, false)) {
        LOG.info("The restock job runs again");
      }
    } catch (LockNotAcquiredException e) {
      if (failing.compareAndSet(false, true)) {
        LOG.warn("The restock job cannot take its lock and does not run: {}", e.getMessage());
      }
    } catch (RuntimeException e) {
      LOG.warn("The restock job failed", e);
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
