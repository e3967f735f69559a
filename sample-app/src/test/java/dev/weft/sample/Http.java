package dev.weft.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.sample.demo.MetricsSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A test's HTTP client for one instance of the service: real requests over loopback. */
final class Http {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;
  private final Map<String, String> cookies = new ConcurrentHashMap<>();

  Http(URI base) {
    this.base = base;
  }

  /** @return a request builder for {@code path}, with a timeout */
  HttpRequest.Builder to(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GET from one client address. */
  HttpResponse<String> get(String path, String address) {
    return send(to(path).header("X-Forwarded-For", address).GET());
  }

  /**
   * POST /orders as {@code user} from {@code address}, logged in first (from the same address)
   * unless this client holds a session of the user already.
   *
   * @param user who orders, or {@code null} to send no session cookie
   */
  HttpResponse<String> order(String user, String address, String body) {
    String cookie = null;
    if (user != null) {
      cookie = cookies.get(user);
      if (cookie == null) {
        cookie = login(user, address);
      }
    }
    return orderWithCookie(cookie, address, body);
  }

  /** POST /orders with the cookie header {@code cookie} ({@code session=<id>}), or none. */
  HttpResponse<String> orderWithCookie(String cookie, String address, String body) {
    HttpRequest.Builder request =
        to("/orders").header("X-Forwarded-For", address).header("Content-Type", "application/json");
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** POST /login with {@code body} from {@code address}. */
  HttpResponse<String> loginRequest(String address, String body) {
    return send(to("/login").header("X-Forwarded-For", address)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /**
   * Logs {@code user} in and keeps the session for {@link #order}.
   *
   * @return the cookie header to send, {@code session=<id>}
   */
  String login(String user, String address) {
    HttpResponse<String> response = loginRequest(address, "{\"user\": \"" + user + "\"}");
    if (response.statusCode() != 200) {
      throw new AssertionError("login of " + user + " answered " + response.statusCode() + ": "
          + response.body());
    }
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    cookies.put(user, cookie);
    return cookie;
  }

  /** Forgets the sessions this client holds (Redis was emptied). */
  void forgetSessions() {
    cookies.clear();
  }

  /** @return the service's metrics now */
  MetricsSnapshot metrics() {
    return MetricsSnapshot.parse(send(to("/metrics").GET()).body());
  }

  /** @return {@code GET /inventory}'s line for {@code sku} */
  JsonNode inventory(String sku) {
    for (JsonNode line : json(send(to("/inventory").GET()).body()).get("products")) {
      if (line.get("sku").asText().equals(sku)) {
        return line;
      }
    }
    throw new AssertionError("no inventory line for " + sku);
  }

  static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
