package dev.weft.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.sample.demo.MetricsSnapshot;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service end to end: started in this JVM on an ephemeral port, against a real Redis, and
 * driven over real HTTP. Each test uses its own client addresses and users (Redis is emptied
 * before each test, sessions, board and counters with it; the database lives for the whole
 * class, so figures are compared as changes within a test).
 */
@WeftRedis
class ShopServiceTest {

  private static final String PRODUCT_CACHE = "dev.weft.sample.shop.Catalog.product(String)";
  private static ShopProcess process;
  private static Http http;

  @BeforeAll
  static void start(RedisServer redis) {
    process = ShopProcess.start(redis.url(), Duration.ofMillis(1));
    http = new Http(process.startServer(0, null).uri());
  }

  @AfterAll
  static void stop() {
    process.close();
  }

  @BeforeEach
  void forgetSessions() {
    http.forgetSessions();
  }

  @Test
  void productReads_afterTheFirst_areServedFromRedis_withoutDatabaseQueries(RedisServer redis) {
    MetricsSnapshot before = http.metrics();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = http.get("/products/kb-01", "2001:db8:1::1");
      assertThat(response.statusCode()).isEqualTo(200);
      bodies.add(response.body());
    }
    MetricsSnapshot after = http.metrics();

    assertThat(bodies).containsOnly(bodies.get(0));
    assertThat(Http.json(bodies.get(0)).get("name").asText()).isEqualTo("Mechanical keyboard");
    assertThat(queries(after, "product") - queries(before, "product")).isEqualTo(1);
    assertThat(queries(after, "stock") - queries(before, "stock")).isEqualTo(1);
    assertThat(hits(after, PRODUCT_CACHE) - hits(before, PRODUCT_CACHE)).isEqualTo(9);
    try (RedisClient client = RedisClient.create(redis.url());
        StatefulRedisConnection<String, String> c = client.connect()) {
      assertThat(c.sync().get("weft-sample:product:kb-01"))
          .isEqualTo("{\"sku\":\"kb-01\",\"name\":\"Mechanical keyboard\",\"category\":\"peripherals\","
              + "\"priceCents\":8900}");
    }

    HttpResponse<String> uncached =
        http.send(http.to("/products/kb-01").header("X-Forwarded-For", "2001:db8:1::1")
            .header("Cache-Control", "no-cache").GET());
    assertThat(uncached.statusCode()).isEqualTo(200);
    assertThat(queries(http.metrics(), "product") - queries(after, "product")).isEqualTo(1);
  }

  @Test
  void priceChange_isWrittenThrough_andDropsItsCategorysLists() {
    String address = "2001:db8:2::1";
    assertThat(http.get("/categories/peripherals/products?sort=price", address).statusCode())
        .isEqualTo(200);
    assertThat(http.get("/products/ms-02", address).statusCode()).isEqualTo(200);
    MetricsSnapshot before = http.metrics();

    HttpResponse<String> changed =
        http.send(http.to("/products/ms-02").header("X-Forwarded-For", address)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"priceCents\": 1234}")));
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(Http.json(changed.body()).get("priceCents").asLong()).isEqualTo(1234);

    HttpResponse<String> product = http.get("/products/ms-02", address);
    HttpResponse<String> list = http.get("/categories/peripherals/products?sort=price", address);
    MetricsSnapshot after = http.metrics();

    assertThat(Http.json(product.body()).get("priceCents").asLong()).isEqualTo(1234);
    assertThat(queries(after, "product") - queries(before, "product"))
        .as("the new price was written through: no read query (only the update's own)")
        .isEqualTo(1);
    assertThat(list.body()).contains("\"sku\":\"ms-02\"").contains("\"priceCents\":1234");
    assertThat(queries(after, "category") - queries(before, "category"))
        .as("the category's lists were dropped by tag and loaded again")
        .isEqualTo(1);
  }

  @Test
  void discontinue_dropsEverythingTaggedWithTheProduct(RedisServer redis) {
    String address = "2001:db8:3::1";
    assertThat(http.get("/products/pd-06", address).statusCode()).isEqualTo(200);

    HttpResponse<String> gone =
        http.send(http.to("/products/pd-06").header("X-Forwarded-For", address).DELETE());

    assertThat(gone.statusCode()).isEqualTo(200);
    try (RedisClient client = RedisClient.create(redis.url());
        StatefulRedisConnection<String, String> c = client.connect()) {
      assertThat(c.sync().exists("weft-sample:product:pd-06", "weft-sample:stock:pd-06")).isZero();
    }
    HttpResponse<String> read = http.get("/products/pd-06", address);
    assertThat(read.statusCode()).isEqualTo(404);
    assertThat(Http.json(read.body()).get("message").asText()).isEqualTo("no product 'pd-06'");
    assertThat(http.order("ann", address, "{\"sku\": \"pd-06\", \"quantity\": 1}").statusCode())
        .isEqualTo(404);
  }

  @Test
  void orders_beyondThePerUserLimit_get429_withRetryAfterAndRateLimitHeaders() {
    long start = System.nanoTime();
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 0; i < 100 && (responses.isEmpty() || last(responses).statusCode() == 201); i++) {
      responses.add(http.order("greedy", "2001:db8:4::" + (i + 1), "{\"sku\": \"cb-12\", \"quantity\": 1}"));
    }
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    HttpResponse<String> limited = last(responses);
    assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
    assertThat(responses.size() - 1)
        .as("orders placed: a burst of 3, then one per 333 ms")
        .isBetween(3, 3 + (int) (elapsedMillis / 333) + 1);
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
    assertThat(limited.headers().firstValue("RateLimit-Limit")).hasValue("3");
    assertThat(limited.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    assertThat(Http.json(limited.body()).get("limit").asText()).isEqualTo("per-user");
    assertThat(Http.json(limited.body()).get("message").asText()).contains("too many orders from this user");
    assertThat(http.order("patient", "2001:db8:4::ff", "{\"sku\": \"cb-12\", \"quantity\": 1}").statusCode())
        .as("another user is not limited").isEqualTo(201);
  }

  @Test
  void requests_beyondThePerAddressLimit_get429_withRateLimitHeaders() {
    long start = System.nanoTime();
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 0; i < 500 && (responses.isEmpty() || last(responses).statusCode() == 200); i++) {
      responses.add(http.get("/products/hd-04", "2001:db8:5::1"));
    }
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    HttpResponse<String> first = responses.get(0);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("RateLimit-Limit")).hasValue("20");
    assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue("19");
    assertThat(first.headers().firstValue("RateLimit-Reset")).isPresent();
    HttpResponse<String> limited = last(responses);
    assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
    assertThat(responses.size() - 1)
        .as("requests answered: a burst of 20, then one per 50 ms")
        .isBetween(20, 20 + (int) (elapsedMillis / 50) + 1);
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isPositive();
    assertThat(limited.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    assertThat(Http.json(limited.body()).get("limit").asText()).isEqualTo("per-address");
    assertThat(http.get("/products/hd-04", "2001:db8:5::2").statusCode())
        .as("another address is not limited").isEqualTo(200);
  }

  @Test
  void concurrentOrders_neverSellMoreThanIsInStock() throws Exception {
    String sku = "dk-14";
    int initial = http.inventory(sku).get("stock").asInt();
    AtomicInteger sequence = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Callable<Integer>> buyers = new ArrayList<>();
    for (int t = 0; t < 12; t++) {
      buyers.add(
          () -> {
            int bought = 0;
            int refused = 0;
            for (int attempt = 0; attempt < 20 && refused < 3; attempt++) {
              int n = sequence.incrementAndGet();
              int quantity = 1 + ThreadLocalRandom.current().nextInt(3);
              HttpResponse<String> r =
                  http.order("buyer-" + n, "2001:db8:6::" + Integer.toHexString(n),
                      "{\"sku\": \"" + sku + "\", \"quantity\": " + quantity + "}");
              if (r.statusCode() == 201) {
                bought += quantity;
              } else if (r.statusCode() == 409) {
                assertThat(r.body()).contains("in stock, " + quantity + " ordered; nothing was ordered");
                refused++;
              } else {
                // A buyer that waited too long for the product's lock is refused and may retry.
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.body()).contains("the product is busy").contains("nothing was ordered");
              }
            }
            return bought;
          });
    }
    int bought = 0;
    try {
      for (Future<Integer> f : pool.invokeAll(buyers)) {
        bought += f.get();
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    JsonNode line = http.inventory(sku);
    assertThat(bought).isPositive();
    assertThat(line.get("stock").asInt()).isEqualTo(initial - bought).isBetween(0, 2);
    assertThat(line.get("ordered").asLong() - (line.get("initialStock").asInt() - initial))
        .as("every unit ordered in the database was acknowledged, and no more")
        .isEqualTo(bought);
    assertThat(Http.json(http.send(http.to("/inventory").GET()).body()).get("balanced").asBoolean())
        .isTrue();
  }

  @Test
  void badRequests_get4xx_withAMessageThatSaysWhatIsWrong() {
    String a = "2001:db8:7::1";
    assertError(http.get("/products/zz-99", a), 404, "no product 'zz-99'");
    assertError(http.order("ann", a, "{\"sku\": \"kb-01\", \"quantity\": }"), 400, "malformed JSON at line 1");
    assertError(http.order("ann", a, "{\"sku\": \"kb-01\", \"quantity\": -2}"), 400,
        "quantity must be between 1 and 10, got -2");
    assertError(http.order("ann", a, "{\"sku\": \"kb-01\", \"quantity\": \"two\"}"), 400,
        "field 'quantity' must be a whole number");
    assertError(http.order("ann", a, "{\"sku\": \"kb-01\", \"qty\": 1}"), 400,
        "unknown field 'qty'; the fields are quantity, sku");
    assertError(http.order("ann", a, "{\"sku\": \"kb-01\"}"), 400, "field 'quantity' is missing");
    assertError(http.order("ann", a, ""), 400, "the request body is empty");
    assertError(http.order(null, a, "{\"sku\": \"kb-01\", \"quantity\": 1}"), 401, "log in first");
    assertError(http.loginRequest(a, "{\"name\": \"ann\"}"), 400, "unknown field 'name'; the fields are user");
    assertError(http.loginRequest(a, "{\"user\": \"a b\"}"), 400, "user must be 1 to 64 letters");
    assertError(http.get("/top?n=0", a), 400, "n must be a whole number from 1 to 100, got '0'");
    assertError(http.get("/stats?minutes=61", a), 400, "minutes must be a whole number from 1 to 60");
    assertError(http.order("ann", a, "{\"sku\": \"zz-99\", \"quantity\": 1}"), 404, "no product 'zz-99'");
    assertError(http.get("/categories/toys/products", a), 404, "no category 'toys'");
    assertError(http.get("/categories/audio/products?sort=size", a), 400, "sort must be name or price");
    assertError(
        http.send(http.to("/products/kb-01").header("X-Forwarded-For", a)
            .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}"))),
        400, "nothing to change");
    assertError(
        http.send(http.to("/orders").header("X-Forwarded-For", a).header("Cookie", http.login("ann", a))
            .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("kb-01"))),
        415, "application/json");
    HttpResponse<String> wrongMethod = http.send(http.to("/orders").DELETE());
    assertError(wrongMethod, 405, "use POST");
    assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
    assertError(http.get("/nowhere", a), 404, "no such endpoint");
    assertThat(http.get("/health", a).statusCode()).as("still up").isEqualTo(200);
  }

  @Test
  void health_reportsRedis_andMetricsArePrometheusText() {
    HttpResponse<String> health = http.send(http.to("/health").GET());
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = Http.json(health.body());
    assertThat(body.get("status").asText()).isEqualTo("UP");
    assertThat(body.at("/components/redis/status").asText()).isEqualTo("UP");
    assertThat(body.at("/components/database").asText()).isEqualTo("UP");
    assertThat(body.get("weaving").asText()).isNotBlank();

    http.get("/products/kb-01", "2001:db8:8::1");
    HttpResponse<String> metrics = http.send(http.to("/metrics").GET());
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    assertThat(metrics.body())
        .contains("weft_cache_gets_total{cache=\"" + PRODUCT_CACHE + "\",result=\"miss\"}")
        .contains("sample_db_queries_total{statement=\"product\"}")
        .contains("sample_http_requests_seconds_count{method=\"GET\",route=\"/products/{sku}\",status=\"200\"}");
  }

  @Test
  void redisOutage_readsComeFromTheDatabase_ordersAreRefused_andTheServiceStaysUp(RedisServer redis) {
    String a = "2001:db8:9::1";
    int stockBefore = http.inventory("sp-19").get("stock").asInt();
    String session = http.login("ann", a);
    redis.stop();
    try {
      HttpResponse<String> read = http.get("/products/sp-19", a);
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(Http.json(read.body()).get("stock").asInt()).isEqualTo(stockBefore);
      assertThat(http.get("/categories/audio/products", a).statusCode()).isEqualTo(200);

      HttpResponse<String> order = http.orderWithCookie(session, a, "{\"sku\": \"sp-19\", \"quantity\": 1}");
      assertError(order, 503, "your session cannot be checked: the session store (Redis) cannot be reached");
      assertThat(order.body()).contains("nothing was done");
      assertThat(order.headers().firstValue("Retry-After")).isPresent();
      assertError(http.loginRequest(a, "{\"user\": \"bob\"}"), 503, "no session can be created");
      assertThat(http.inventory("sp-19").get("stock").asInt()).isEqualTo(stockBefore);

      JsonNode health = Http.json(http.send(http.to("/health").GET()).body());
      assertThat(health.get("status").asText()).isEqualTo("DEGRADED");
      assertThat(health.at("/components/redis/status").asText()).isEqualTo("DOWN");
    } finally {
      redis.start();
    }

    String[] cookie = {session};
    int[] status = {0};
    Await.until(Duration.ofSeconds(30), () -> "an order taken after the restart, last " + status[0],
        () -> {
          status[0] = http.orderWithCookie(cookie[0], a, "{\"sku\": \"sp-19\", \"quantity\": 1}")
              .statusCode();
          // The restarted server may have lost its data, the session with it: log in again then.
          if (status[0] == 401 || status[0] == 503) {
            try {
              cookie[0] = http.login("ann", a);
            } catch (AssertionError | RuntimeException stillDown) {
              // Redis is not back yet: try again
            }
          }
          return status[0] == 201;
        });
    assertThat(status[0]).as("orders are taken again once Redis is back").isEqualTo(201);
    assertThat(http.inventory("sp-19").get("stock").asInt()).isEqualTo(stockBefore - 1);
    assertThat(Http.json(http.send(http.to("/health").GET()).body()).get("status").asText())
        .isEqualTo("UP");
  }

  @Test
  void login_setsAnHttpOnlySessionCookie_ordersNameTheirUserByIt_andLogoutEndsIt(RedisServer redis) {
    String a = "2001:db8:a::1";
    HttpResponse<String> login = http.loginRequest(a, "{\"user\": \"sam\"}");
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).matches("session=[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/");
    assertThat(Http.json(login.body()).get("user").asText()).isEqualTo("sam");
    assertThat(login.body()).doesNotContain(setCookie.substring(8, 74));
    String session = setCookie.substring(0, setCookie.indexOf(';'));
    try (RedisClient client = RedisClient.create(redis.url());
        StatefulRedisConnection<String, String> c = client.connect()) {
      List<String> keys = c.sync().keys("weft:session:weft-sample:*");
      assertThat(keys).as("the session hash and the user's index").hasSize(2);
      assertThat(String.join(" ", keys)).as("Redis holds a hash of the id, never the id")
          .doesNotContain(session.substring(31));
    }

    HttpResponse<String> order = http.orderWithCookie(session, a, "{\"sku\": \"fr-15\", \"quantity\": 1}");
    assertThat(order.statusCode()).as(order.body()).isEqualTo(201);
    assertThat(Http.json(order.body()).get("userId").asText()).isEqualTo("sam");

    HttpResponse<String> anonymous = http.orderWithCookie(null, a, "{\"sku\": \"fr-15\", \"quantity\": 1}");
    assertError(anonymous, 401, "log in first: POST /login with {\"user\": \"ann\"}");
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValue("Cookie realm=\"weft-sample\", form-action=\"/login\", cookie-name=\"session\"");
    String forged = "session=" + session.substring(8, 31) + "A".repeat(43);
    assertError(http.orderWithCookie(forged, a, "{\"sku\": \"fr-15\", \"quantity\": 1}"), 401,
        "your session has expired or was ended; log in again");

    HttpResponse<String> logout =
        http.send(http.to("/logout").header("X-Forwarded-For", a).header("Cookie", session)
            .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(logout.statusCode()).as(logout.body()).isEqualTo(200);
    assertThat(logout.headers().firstValue("Set-Cookie"))
        .hasValue("session=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/");
    assertError(http.orderWithCookie(session, a, "{\"sku\": \"fr-15\", \"quantity\": 1}"), 401,
        "your session has expired or was ended; log in again");
    assertError(
        http.send(http.to("/logout").header("X-Forwarded-For", a).header("Cookie", session)
            .POST(HttpRequest.BodyPublishers.noBody())),
        401, "there is no session to end");
    assertThat(http.inventory("fr-15").get("ordered").asLong()).as("only the order with a session")
        .isEqualTo(1);
  }

  @Test
  void placedOrders_reachTheBestSellerBoardAndTheCounters_throughTheStream() {
    String a = "2001:db8:b::1";
    awaitConsumers();
    JsonNode statsBefore = stats();
    long eaBefore = http.inventory("ea-21").get("ordered").asLong();
    long hsBefore = http.inventory("hs-23").get("ordered").asLong();
    long eaBoardBefore = units("ea-21");
    long hsBoardBefore = units("hs-23");

    String[][] orders = {
      {"ida", "ea-21", "2"}, {"ida", "hs-23", "1"}, {"joe", "ea-21", "3"}, {"kim", "hs-23", "4"},
      {"kim", "ea-21", "1"},
    };
    for (String[] o : orders) {
      HttpResponse<String> r =
          http.order(o[0], a, "{\"sku\": \"" + o[1] + "\", \"quantity\": " + o[2] + "}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(http.get("/products/ea-21", a).statusCode()).isEqualTo(200);
    }
    assertThat(http.get("/products/zz-99", a).statusCode()).as("not a view").isEqualTo(404);

    // the listener processes the events asynchronously
    Await.until(Duration.ofSeconds(10), () -> "the 11 ordered units and 5 orders in the figures",
        () -> units("ea-21") >= eaBoardBefore + 6
            && total(stats(), "orders") >= total(statsBefore, "orders") + 5);
    awaitConsumers();
    JsonNode statsAfter = stats();

    assertThat(units("ea-21") - eaBoardBefore).as("ea-21 on the board").isEqualTo(6)
        .isEqualTo(http.inventory("ea-21").get("ordered").asLong() - eaBefore);
    assertThat(units("hs-23") - hsBoardBefore).as("hs-23 on the board").isEqualTo(5)
        .isEqualTo(http.inventory("hs-23").get("ordered").asLong() - hsBefore);
    JsonNode top = Http.json(http.get("/top?n=2", a).body());
    assertThat(top).hasSizeLessThanOrEqualTo(2);
    assertThat(top.get(0).get("rank").asInt()).isEqualTo(1);
    assertThat(total(statsAfter, "orders") - total(statsBefore, "orders")).isEqualTo(5);
    assertThat(total(statsAfter, "productViews") - total(statsBefore, "productViews")).isEqualTo(4);
    assertThat(total(statsAfter, "uniqueBuyers") - total(statsBefore, "uniqueBuyers"))
        .as("ida, joe and kim, each once").isEqualTo(3);
    JsonNode minutes = statsAfter.at("/orders/perMinute");
    assertThat(minutes).hasSize(60);
    assertThat(minutes.get(59).get("count").asLong() + minutes.get(58).get("count").asLong())
        .as("this minute's bucket, or the last one's if the minute turned").isGreaterThanOrEqualTo(1);
    MetricsSnapshot m = http.metrics();
    assertThat(m.sum("sample_order_events_consumed_total"))
        .isEqualTo(m.sum("sample_order_events_total", "outcome", "published"));
  }

  /** Waits until the stream's consumers have processed what was published, or gone quiet. */
  private static void awaitConsumers() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    double last = -1;
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      MetricsSnapshot m = http.metrics();
      double consumed = m.sum("sample_order_events_consumed_total");
      if (consumed >= m.sum("sample_order_events_total", "outcome", "published")) {
        return;
      }
      // Emptying Redis between tests may drop events not yet processed: then the count stops.
      if (consumed != last) {
        last = consumed;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > Duration.ofSeconds(2).toNanos()) {
        return;
      }
      pause();
    }
  }

  private static JsonNode stats() {
    HttpResponse<String> r = http.get("/stats?minutes=60", "2001:db8:b::2");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Http.json(r.body());
  }

  private static long total(JsonNode stats, String series) {
    return stats.get(series).get("total").asLong();
  }

  private static long units(String sku) {
    for (JsonNode entry : Http.json(http.get("/top?n=100", "2001:db8:b::3").body())) {
      if (entry.get("sku").asText().equals(sku)) {
        return entry.get("units").asLong();
      }
    }
    return 0;
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  /** The pause between two looks at the consumers' progress. */
  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void assertError(HttpResponse<String> response, int status, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = Http.json(response.body());
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("message").asText()).contains(message);
  }

  private static double queries(MetricsSnapshot m, String statement) {
    return m.sum("sample_db_queries_total", "statement", statement);
  }

  private static double hits(MetricsSnapshot m, String cache) {
    return m.sum("weft_cache_gets_total",
        labels -> cache.equals(labels.get("cache")) && "hit".equals(labels.get("result")));
  }
}
