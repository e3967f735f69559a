package dev.weft.sample.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The shop's HTTP API as a caller outside the service sees it, on the JDK's {@link HttpClient}:
 * used by the demo and by the tests.
 */
final class ShopClient {

  /**
   * One answer.
   *
   * @param status the HTTP status
   * @param body the body as JSON, {@code null} when there was none
   * @param response the whole response, for its headers
   */
  record Answer(int status, JsonNode body, HttpResponse<String> response) {

    /**
     * @param name a header's name
     * @return its first value, if the answer has it
     */
    Optional<String> header(String name) {
      return response.headers().firstValue(name);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI base;

  /** @param port the service's port on 127.0.0.1 */
  ShopClient(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  Answer product(String sku) {
    return send(request("/products/" + sku).GET());
  }

  Answer changePrice(String sku, long priceCents) {
    return send(json(request("/products/" + sku + "/price"), "PUT",
        "{\"priceCents\": " + priceCents + "}"));
  }

  Answer order(String user, String sku, int quantity) {
    return send(json(request("/orders"), "POST",
        "{\"user\": \"" + user + "\", \"sku\": \"" + sku + "\", \"quantity\": " + quantity + "}"));
  }

  Answer restock(String sku, int units) {
    return send(request("/stock/" + sku + "/restock?units=" + units)
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  Answer stock(String sku) {
    return send(request("/stock/" + sku).GET());
  }

  Answer shipping(String country) {
    return send(request("/shipping/" + country).GET());
  }

  Answer stats() {
    return send(request("/stats").GET());
  }

  Answer health() {
    return send(request("/actuator/health").GET());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
  }

  private static HttpRequest.Builder json(HttpRequest.Builder request, String method, String body) {
    return request
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body));
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return new Answer(
          response.statusCode(), body.isEmpty() ? null : JSON.readTree(body), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling the service", e);
    }
  }
}
