package dev.weft.sample.demo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.sample.shop.InventoryLine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demo's HTTP access to the service's instances: one client, shared by every thread. */
final class ServiceClient {

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final List<URI> instances;

  ServiceClient(List<URI> instances) {
    this.instances = List.copyOf(instances);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** @return the instances' base URIs */
  List<URI> instances() {
    return instances;
  }

  /**
   * @param instance which instance, an index into {@link #instances()}
   * @param path a path with its query, such as {@code /products/kb-01}
   * @return a request builder for it, with the demo's timeout
   */
  HttpRequest.Builder request(int instance, String path) {
    return HttpRequest.newBuilder(instances.get(instance).resolve(path)).timeout(TIMEOUT);
  }

  /**
   * @param request the request
   * @return the response, its body as text
   * @throws IOException if the exchange failed
   * @throws InterruptedException if the thread was interrupted
   */
  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** @return a scrape of the first instance's {@code /metrics} */
  MetricsSnapshot metrics() throws IOException, InterruptedException {
    return MetricsSnapshot.parse(get("/metrics"));
  }

  /** @return every product's stock ledger, from the first instance's {@code /inventory}, by SKU */
  Map<String, InventoryLine> inventory() throws IOException, InterruptedException {
    JsonNode products = JSON.readTree(get("/inventory")).get("products");
    Map<String, InventoryLine> lines = new LinkedHashMap<>();
    for (JsonNode p : products) {
      InventoryLine line = JSON.treeToValue(p, InventoryLine.class);
      lines.put(line.sku(), line);
    }
    return lines;
  }

  /**
   * @return the totals of {@code GET /stats?minutes=60}: every count since the service started,
   *     for a run shorter than the hour the counts are kept
   */
  Figures figures() throws IOException, InterruptedException {
    JsonNode stats = JSON.readTree(get("/stats?minutes=60"));
    return new Figures(
        stats.at("/orders/total").asLong(), stats.at("/productViews/total").asLong(),
        stats.at("/uniqueBuyers/total").asLong());
  }

  /** @return {@code GET /top?n=100}: units per product on the best-seller board, best first */
  Map<String, Long> bestSellers() throws IOException, InterruptedException {
    Map<String, Long> units = new LinkedHashMap<>();
    for (JsonNode entry : JSON.readTree(get("/top?n=100"))) {
      units.put(entry.get("sku").asText(), entry.get("units").asLong());
    }
    return units;
  }

  /**
   * The per-minute counters' totals over the last hour.
   *
   * @param orders orders counted
   * @param productViews product views counted
   * @param uniqueBuyers distinct buyers, estimated
   */
  record Figures(long orders, long productViews, long uniqueBuyers) {}

  /**
   * @param body a JSON body
   * @param field a top-level field
   * @return the field's text, or {@code ""} if the body is not JSON or has no such field
   */
  static String field(String body, String field) {
    try {
      JsonNode value = JSON.readTree(body).get(field);
      return value == null ? "" : value.asText();
    } catch (IOException e) {
      return "";
    }
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = send(request(0, path).GET().build());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
