package dev.weft.sample.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.ratelimit.RateLimitDecision;
import dev.weft.sample.shop.DatabaseException;
import dev.weft.sample.shop.OrderService;
import dev.weft.sample.shop.OutOfStockException;
import dev.weft.sample.shop.StaleLockException;
import dev.weft.sample.shop.UnknownProductException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches requests to {@link Route routes}, applies the per-address rate limit to API routes,
 * and turns every outcome into a response: the route's answer, or a JSON error whose status says
 * who must act (4xx: the client; 503: try again later; 500: a bug).
 *
 * <p>Every request is timed in {@code sample.http.requests}, tagged by route and status.
 */
final class Router implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final List<Route> routes;
  private final IpRateLimit ipLimit;
  private final MeterRegistry registry;

  Router(List<Route> routes, IpRateLimit ipLimit, MeterRegistry registry) {
    this.routes = List.copyOf(routes);
    this.ipLimit = ipLimit;
    this.registry = registry;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String routeName = "unmatched";
    Response response;
    try {
      String path = exchange.getRequestURI().getPath();
      Route route = null;
      Matcher matcher = null;
      TreeSet<String> allowed = new TreeSet<>();
      for (Route r : routes) {
        Matcher m = r.path().matcher(path);
        if (m.matches()) {
          allowed.add(r.method());
          if (r.method().equals(exchange.getRequestMethod())) {
            route = r;
            matcher = m;
          }
        }
      }
      if (route == null) {
        response =
            allowed.isEmpty()
                ? Response.error(404, "no such endpoint: " + path)
                : Response.error(405, exchange.getRequestMethod() + " is not supported on " + path
                        + "; use " + String.join(", ", allowed))
                    .header("Allow", String.join(", ", allowed));
      } else {
        routeName = route.name();
        response = handle(route, new Request(exchange, matcher, ClientAddress.of(exchange)));
      }
    } catch (RuntimeException | LinkageError e) {
      response = failure(e);
    }
    send(exchange, response);
    Timer.builder("sample.http.requests")
        .description("HTTP requests answered")
        .tag("method", exchange.getRequestMethod())
        .tag("route", routeName)
        .tag("status", Integer.toString(response.status()))
        .register(registry)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  private Response handle(Route route, Request request) {
    Optional<RateLimitDecision> decision =
        route.limited() ? ipLimit.decide(request.client()) : Optional.empty();
    if (decision.isPresent() && !decision.get().allowed()) {
      return Response.json(
              429,
              new LimitedBody(
                  429, "Too Many Requests",
                  "too many requests from " + request.client() + ": at most "
                      + IpRateLimit.REQUESTS_PER_SECOND + " per second; retry after "
                      + decision.get().headers().get(RateLimitDecision.RETRY_AFTER_HEADER) + " s",
                  "per-address"))
          .headers(decision.get().headers());
    }
    Response response = answer(route, request);
    // A refusal's own rate-limit headers (per user) take precedence over the per-address ones.
    decision.ifPresent(
        d -> d.headers().forEach((name, value) -> response.headers().putIfAbsent(name, value)));
    return response;
  }

  private static Response answer(Route route, Request request) {
    try {
      return route.handler().handle(request);
    } catch (RuntimeException | LinkageError e) {
      return failure(e);
    }
  }

  /** A linkage error (a class path mixing versions) is answered 500 too, rather than a hang. */
  private static Response failure(Throwable e) {
    if (e instanceof ApiException api) {
      Response response = Response.error(api.status(), api.getMessage());
      if (api.status() == 401) {
        response.header("WWW-Authenticate", Login.CHALLENGE);
      } else if (api.status() == 503) {
        response.header("Retry-After", "1");
      }
      return response;
    }
    if (e instanceof UnknownProductException) {
      return Response.error(404, e.getMessage());
    }
    if (e instanceof OutOfStockException) {
      return Response.error(409, e.getMessage());
    }
    if (e instanceof RateLimitExceededException limited) {
      return perUserLimit(limited);
    }
    if (e instanceof LockNotAcquiredException locked) {
      String message =
          locked.getCause() == null
              ? "the product is busy: other orders kept its lock through this order's wait;"
                  + " nothing was ordered, try again"
              : "orders are paused: the lock service (Redis) cannot be reached, and an order is"
                  + " refused rather than risk selling stock twice; nothing was ordered. Reads"
                  + " still work.";
      return Response.error(503, message).header("Retry-After", "1");
    }
    if (e instanceof StaleLockException) {
      return Response.error(503, e.getMessage() + "; try again").header("Retry-After", "1");
    }
    if (e instanceof DatabaseException) {
      LOG.warn("Database failure", e);
      return Response.error(503, "the database is unavailable; try again later")
          .header("Retry-After", "5");
    }
    LOG.error("Unexpected failure", e);
    return Response.error(500, "internal error: " + e);
  }

  /** A per-user refusal from {@code @RateLimited}: the exception carries Redis's decision. */
  private static Response perUserLimit(RateLimitExceededException e) {
    Map<String, String> headers = e.headers();
    Response response =
        Response.json(
            429,
            new LimitedBody(
                429, "Too Many Requests",
                "too many orders from this user: at most " + OrderService.ORDERS_PER_USER
                    + " per second; retry after " + headers.get("Retry-After") + " s",
                "per-user"));
    headers.forEach(response::header);
    return response;
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    try {
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      byte[] body = response.body();
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } finally {
      exchange.close();
    }
  }

  /**
   * The body of a 429.
   *
   * @param status 429
   * @param error its reason phrase
   * @param message which limit, and when to retry
   * @param limit {@code per-address} or {@code per-user}
   */
  record LimitedBody(int status, String error, String message, String limit) {}
}
