package dev.weft.sample.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.weft.Weft;
import dev.weft.WeftHealth;
import dev.weft.sample.shop.ShopRepository;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * Operations endpoints, never rate-limited:
 *
 * <ul>
 *   <li>{@code GET /health}: whether Redis and the database answer; Redis's answer is Weft's own
 *       ({@link Weft#health()}: a {@code PING} through the runtime's connection and circuit
 *       breaker, so it says what the service's calls get). Redis being down makes the service
 *       {@code DEGRADED}, still 200: reads are served from the database and orders are
 *       refused, so a load balancer should keep sending traffic. The database being down makes it
 *       {@code DOWN}, 503.
 *   <li>{@code GET /metrics}: every meter in Prometheus's text format: Weft's ({@code
 *       weft_cache_gets_total}, {@code weft_lock_acquisitions_total}, ...) and the sample's
 *       ({@code sample_db_queries_total}, {@code sample_http_requests_seconds}, ...).
 * </ul>
 */
final class OpsApi {

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final ShopRepository repository;
  private final Weft weft;
  private final PrometheusMeterRegistry registry;
  private final String weaving;

  OpsApi(ShopRepository repository, Weft weft, PrometheusMeterRegistry registry, String weaving) {
    this.repository = repository;
    this.weft = weft;
    this.registry = registry;
    this.weaving = weaving;
  }

  List<Route> routes() {
    return List.of(Route.ops("GET", "/health", this::health), Route.ops("GET", "/metrics", this::metrics));
  }

  private Response health(Request request) {
    RedisStatus redisStatus = RedisStatus.of(weft.health());
    String database;
    try {
      database = repository.ping() ? "UP" : "DOWN";
    } catch (RuntimeException e) {
      database = "DOWN";
    }
    String status =
        !database.equals("UP") ? "DOWN" : redisStatus.status().equals("DOWN") ? "DEGRADED" : "UP";
    String note =
        status.equals("DEGRADED")
            ? "Redis is unreachable: reads are served from the database, orders are refused"
            : null;
    return Response.json(
        status.equals("DOWN") ? 503 : 200,
        new Health(status, note, new Component(redisStatus, database), weaving));
  }

  private Response metrics(Request request) {
    return Response.text(200, PROMETHEUS_TEXT, registry.scrape());
  }

  /**
   * The body of {@code /health}.
   *
   * @param status {@code UP}, {@code DEGRADED} or {@code DOWN}
   * @param note what a degraded service still does, or {@code null}
   * @param components each dependency's state
   * @param weaving how Weft's annotations were woven into this process
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Health(String status, String note, Component components, String weaving) {}

  /**
   * @param redis Redis's state
   * @param database {@code UP} or {@code DOWN}
   */
  record Component(RedisStatus redis, String database) {}

  /**
   * Redis's state as {@link Weft#health()} sees it.
   *
   * @param status {@code UP} or {@code DOWN}
   * @param url the Redis URL, password redacted
   * @param pingMillis how long the {@code PING} took, when up
   * @param circuit Weft's circuit breaker: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
   * @param error why it is down, or {@code null}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RedisStatus(String status, String url, Double pingMillis, String circuit, String error) {
    static RedisStatus of(WeftHealth health) {
      return new RedisStatus(
          health.up() ? "UP" : "DOWN",
          health.redis(),
          health.roundTrip() == null ? null : health.roundTrip().toNanos() / 10_000 / 100.0,
          health.circuit().name(),
          health.problem());
    }
  }
}
