package dev.weft.sample.demo;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One client of the load: sends a request, waits for the answer, records it, pauses briefly, and
 * again, until the deadline. Three kinds:
 *
 * <ul>
 *   <li>{@link Kind#SHOPPER}: each request on behalf of one of {@value #USERS} users, each with its
 *       own address; 65% product reads (10% of them with {@code Cache-Control: no-cache}, which
 *       the service answers from the database: the "cache off" latency), 22% category lists, 9%
 *       orders of 1 to 3 units, 1% logouts, 3% price changes. 80% of product picks go to 6
 *       popular products. A user logs in ({@code POST /login}) before its first order and after a
 *       logout, and orders with the session cookie; the clients share the users' cookies, as
 *       a user's browser tabs do. Pauses {@value #SHOPPER_PAUSE_MILLIS} ms between requests.
 *   <li>{@link Kind#SCRAPER}: one address reading products, pausing {@value
 *       #ABUSER_PAUSE_MILLIS} ms between requests: far over the per-address limit.
 *   <li>{@link Kind#ORDER_BOT}: one user, logged in once, ordering from ever-changing addresses,
 *       pausing {@value #ABUSER_PAUSE_MILLIS} ms between orders: under the per-address limit, far
 *       over the per-user one.
 * </ul>
 *
 * <p>The pauses keep the load below what the machine can serve, so that response times measure
 * the service (cache or database) rather than the queue in front of a saturated CPU: the demo's
 * clients, service and Redis all share one machine.
 *
 * <p>Addresses come from the IPv6 documentation prefix {@code 2001:db8::/32} and travel in {@code
 * X-Forwarded-For}, which the service trusts from loopback peers only; every request goes to
 * 127.0.0.1.
 */
final class LoadClient implements Runnable {

  /** The kinds of client. */
  enum Kind {
    SHOPPER,
    SCRAPER,
    ORDER_BOT
  }

  static final int USERS = 500;
  static final long SHOPPER_PAUSE_MILLIS = 1;
  static final long ABUSER_PAUSE_MILLIS = 2;

  private final Kind kind;
  private final ServiceClient service;
  private final Catalogue catalogue;
  private final Map<String, String> cookies;
  private final Tally tally;
  private final long deadlineNanos;
  private final Random random;
  private final Latencies cached = new Latencies();
  private final Latencies uncached = new Latencies();

  LoadClient(
      Kind kind, ServiceClient service, Catalogue catalogue, Map<String, String> cookies,
      Tally tally, long deadlineNanos, long seed) {
    this.kind = kind;
    this.service = service;
    this.catalogue = catalogue;
    this.cookies = cookies;
    this.tally = tally;
    this.deadlineNanos = deadlineNanos;
    this.random = new Random(seed);
  }

  /** @return response times of product reads through the cache */
  Latencies cached() {
    return cached;
  }

  /** @return response times of product reads that bypassed the cache */
  Latencies uncached() {
    return uncached;
  }

  @Override
  public void run() {
    while (System.nanoTime() - deadlineNanos < 0 && !Thread.currentThread().isInterrupted()) {
      try {
        switch (kind) {
          case SHOPPER -> shop();
          case SCRAPER -> readProduct("2001:db8:ffff::5c", catalogue.pick(random), false);
          case ORDER_BOT -> order(botAddress(), "order-bot", catalogue.pick(random), 1);
        }
        Thread.sleep(kind == Kind.SHOPPER ? SHOPPER_PAUSE_MILLIS : ABUSER_PAUSE_MILLIS);
      } catch (IOException e) {
        tally.error("I/O: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void shop() throws IOException, InterruptedException {
    int user = random.nextInt(USERS);
    String address = "2001:db8::" + Integer.toHexString(user + 1);
    double dice = random.nextDouble();
    if (dice < 0.65) {
      readProduct(address, catalogue.pick(random), random.nextDouble() < 0.10);
    } else if (dice < 0.87) {
      String sort = random.nextBoolean() ? "name" : "price";
      send(get(address, "/categories/" + catalogue.category(random) + "/products?sort=" + sort));
    } else if (dice < 0.96) {
      order(address, "user-" + user, catalogue.pick(random), 1 + random.nextInt(3));
    } else if (dice < 0.97) {
      logout(address, "user-" + user);
    } else {
      String body = String.format(Locale.ROOT, "{\"priceCents\": %d}", 1000 + random.nextInt(50_000));
      send(builder(address, "/products/" + catalogue.pick(random))
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(body))
          .build());
    }
  }

  private void readProduct(String address, String sku, boolean bypass)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = builder(address, "/products/" + sku).GET();
    if (bypass) {
      request.header("Cache-Control", "no-cache");
    }
    long start = System.nanoTime();
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() == 200) {
      (bypass ? uncached : cached).add(System.nanoTime() - start);
      tally.productViews.increment();
    }
  }

  /** Orders as {@code user}, logging in first if the user has no session. */
  private void order(String address, String user, String sku, int quantity)
      throws IOException, InterruptedException {
    String cookie = cookies.get(user);
    if (cookie == null) {
      cookie = login(address, user);
      if (cookie == null) {
        return;
      }
    }
    HttpResponse<String> response =
        send(builder(address, "/orders")
            .header("Cookie", cookie)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"sku\": \"" + sku + "\", \"quantity\": " + quantity + "}"))
            .build());
    if (response.statusCode() == 201) {
      tally.ordered(user, sku, quantity);
    } else if (response.statusCode() == 409) {
      tally.outOfStock.increment();
    } else if (response.statusCode() == 401) {
      // Another client logged this user out meanwhile: log in again next time.
      tally.unauthorized.increment();
      cookies.remove(user, cookie);
    }
  }

  /** @return the session cookie ({@code session=<id>}), or {@code null} if the login was refused */
  private String login(String address, String user) throws IOException, InterruptedException {
    HttpResponse<String> response =
        send(builder(address, "/login")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"" + user + "\"}"))
            .build());
    if (response.statusCode() != 200) {
      return null;
    }
    String setCookie = response.headers().firstValue("Set-Cookie").orElse("");
    int end = setCookie.indexOf(';');
    String cookie = end < 0 ? setCookie : setCookie.substring(0, end);
    if (!cookie.startsWith("session=")) {
      tally.error("POST /login answered 200 without a session cookie: " + setCookie);
      return null;
    }
    tally.logins.increment();
    cookies.put(user, cookie);
    return cookie;
  }

  private void logout(String address, String user) throws IOException, InterruptedException {
    String cookie = cookies.remove(user);
    if (cookie == null) {
      return;
    }
    HttpResponse<String> response =
        send(builder(address, "/logout").header("Cookie", cookie)
            .POST(HttpRequest.BodyPublishers.noBody()).build());
    if (response.statusCode() == 200) {
      tally.logouts.increment();
    }
  }

  /** The bot orders through many proxies: the per-address limit never sees it twice in a row. */
  private String botAddress() {
    return "2001:db8:b07::" + Integer.toHexString(random.nextInt(0xffff));
  }

  private HttpRequest get(String address, String path) {
    return builder(address, path).GET().build();
  }

  private HttpRequest.Builder builder(String address, String path) {
    return service.request(random.nextInt(service.instances().size()), path)
        .header("X-Forwarded-For", address);
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = service.send(request);
    tally.requests.increment();
    int status = response.statusCode();
    if (status == 429) {
      boolean headers =
          response.headers().firstValue("Retry-After").isPresent()
              && response.headers().firstValue("RateLimit-Limit").isPresent();
      if (!headers) {
        tally.limitedWithoutHeaders.increment();
      }
      if ("per-user".equals(ServiceClient.field(response.body(), "limit"))) {
        tally.limitedPerUser.increment();
      } else {
        tally.limitedPerAddress.increment();
      }
    } else if (status == 503) {
      tally.unavailable.increment();
    } else if (status >= 500) {
      tally.error(request.method() + " " + request.uri().getPath() + " answered " + status + ": "
          + response.body());
    }
    return response;
  }

  /** The products and categories the clients pick from, with a popular few. */
  static final class Catalogue {
    private final List<String> skus;
    private final List<String> popular;
    private final List<String> categories;

    Catalogue(List<String> skus, List<String> categories) {
      this.skus = List.copyOf(skus);
      this.popular = this.skus.subList(0, Math.min(6, this.skus.size()));
      this.categories = List.copyOf(categories);
    }

    String pick(Random random) {
      List<String> from = random.nextDouble() < 0.8 ? popular : skus;
      return from.get(random.nextInt(from.size()));
    }

    String category(Random random) {
      return categories.get(random.nextInt(categories.size()));
    }
  }
}
