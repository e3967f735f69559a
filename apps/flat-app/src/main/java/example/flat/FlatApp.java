package example.flat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.exception.RateLimitExceededException;
import example.apps.Libraries;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain Java application on a flat class path: the JDK's HTTP server, its own Lettuce 6 client
 * and its own Jackson 2 {@link ObjectMapper}, and Weft-annotated methods ({@link Shop}) that the
 * Weft agent weaves. It serves the same HTTP interface as the Spring Boot examples.
 *
 * <p>Arguments: {@code --port=N} (0 for any free port, the default) and {@code --redis=URL}, the
 * Redis of the application's own client. Weft finds its Redis as it always does ({@code
 * WEFT_REDIS_URL}). Prints {@code flat-app started on port N} once it serves.
 */
public final class FlatApp {

  private static final Pattern ROUTE = Pattern.compile("^/([a-z-]+)(?:/([^/]+))?(?:/([a-z]+))?$");

  private final Shop shop = new Shop();
  private final ObjectMapper json = new ObjectMapper();
  private final StatefulRedisConnection<String, String> redis;

  private FlatApp(StatefulRedisConnection<String, String> redis) {
    this.redis = redis;
  }

  /**
   * Starts the application.
   *
   * @param args {@code --port=N}, {@code --redis=URL}
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 2) {
        options.put(arg.substring(2, eq), arg.substring(eq + 1));
      }
    }
    RedisClient client = RedisClient.create(options.getOrDefault("redis", "redis://localhost:6379"));
    FlatApp app = new FlatApp(client.connect());
    HttpServer server =
        HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(options.getOrDefault("port", "0"))), 0);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    server.setExecutor(threads);
    server.createContext("/", app::handle);
    server.start();
    System.out.println("flat-app started on port " + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher route = ROUTE.matcher(exchange.getRequestURI().getPath());
      if (!route.matches()) {
        send(exchange, 404, Map.of("error", "no such resource"));
        return;
      }
      String method = exchange.getRequestMethod();
      String resource = route.group(1);
      String name = route.group(2);
      String action = route.group(3);
      try {
        send(exchange, 200, answer(method, resource, name, action, exchange));
      } catch (RateLimitExceededException e) {
        e.headers().forEach((header, value) -> exchange.getResponseHeaders().set(header, value));
        send(exchange, 429, Map.of("error", "too many requests", "limit", e.limit()));
      } catch (LockNotAcquiredException e) {
        send(exchange, 409, Map.of("error", e.getClass().getName(), "key", e.key()));
      } catch (IllegalArgumentException e) {
        send(exchange, 404, Map.of("error", e.getMessage()));
      } catch (Exception e) {
        send(exchange, 500, Map.of("error", e.toString()));
      }
    }
  }

  private Object answer(
      String method, String resource, String name, String action, HttpExchange exchange)
      throws Exception {
    String call = method + " " + resource + (name == null ? "" : " {}") + (action == null ? "" : " " + action);
    switch (call) {
      case "GET items {}":
        return shop.find(name);
      case "GET items-loads":
        return Map.of("loads", shop.loads());
      case "GET greetings {}":
        return Map.of("greeting", shop.greet(name));
      case "POST jobs {}":
        return Map.of("result", shop.run(name));
      case "GET jobs {}":
        return Map.of("running", shop.running(name));
      case "POST jobs {} finish":
        shop.finish(name);
        return Map.of("result", "told to finish");
      case "PUT own-redis {}":
        redis.sync().set(name, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        return Map.of("stored", name);
      case "GET own-redis {}":
        String value = redis.sync().get(name);
        return Map.of("value", value == null ? "(none)" : value);
      case "GET versions":
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("java", Runtime.version().toString());
        versions.put("libraries", Libraries.report(FlatApp.class.getClassLoader()));
        return versions;
      default:
        throw new IllegalArgumentException("no such resource: " + call);
    }
  }

  private void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
