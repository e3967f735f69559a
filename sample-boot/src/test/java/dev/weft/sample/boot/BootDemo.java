package dev.weft.sample.boot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.Weft;
import dev.weft.test.RedisLauncher;
import dev.weft.test.RedisServer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Spring Boot sample's demo, which {@code -Prun-sample} runs: starts {@link ShopApplication}
 * on a free port, drives it over HTTP for a few seconds, prints what each annotation did and
 * exits 1 if a check fails.
 *
 * <pre>
 * mvn -B -q -pl sample-boot -am verify -DskipTests -Prun-sample                      # the demo, 5 s
 * mvn -B -q -pl sample-boot -am verify -DskipTests -Prun-sample -Dsample.args="demo --seconds 15"
 * mvn -B -q -pl sample-boot -am verify -DskipTests -Prun-sample -Dsample.args=serve  # port 8080
 * </pre>
 *
 * <h2>Design</h2>
 *
 * The service is configured as any Boot service is, by {@code spring.data.redis.*}: when the
 * environment sets it ({@code SPRING_DATA_REDIS_URL}, ...), that Redis is used, and the demo
 * first removes what an earlier run left there under the sample's key prefix; otherwise weft-test's
 * launcher starts one (a {@code redis-server} on the PATH, else the embedded-redis jar's binary),
 * which is stopped after the service's context has closed. The demo lives with the tests so that
 * neither weft-test nor this driver is on the service's own class path.
 *
 * <p>Everything the report says is measured from outside, by the clients' own counts and the
 * service's {@code /stats} and {@code /actuator/health}, as {@code ShopServiceTest} checks it.
 */
public final class BootDemo {

  private static final List<String> COUNTRIES = List.of("DE", "FR", "NL", "IT", "ES");
  private static final String RESTOCKED = "mn-03";
  private static final int RESTOCKERS = 4;
  private static final int RESTOCKS_EACH = 25;
  private static final int UNITS_PER_RESTOCK = 5;
  private static final int SHOPPERS = 4;

  private BootDemo() {}

  /**
   * @param args {@code demo [--seconds N]} (default; N from 1 to 60, default 5) or {@code serve
   *     [--port N]} (default 8080, until Ctrl-C)
   */
  public static void main(String[] args) {
    String mode = args.length > 0 ? args[0] : "demo";
    int seconds = intOption(args, "--seconds", 5);
    int port = intOption(args, "--port", 8080);
    if (!mode.equals("demo") && !mode.equals("serve") || seconds < 1 || seconds > 60) {
      System.err.println("usage: demo [--seconds 1..60] | serve [--port N]");
      System.exit(2);
    }
    if (mode.equals("serve")) {
      serve(port);
    } else {
      System.exit(demo(seconds));
    }
  }

  private static void serve(int port) {
    ConfigurableApplicationContext context = start(port, "INFO");
    System.out.printf(
        "Weft sample (Spring Boot) listening on http://127.0.0.1:%d until Ctrl-C; try%n"
            + "  curl -s http://127.0.0.1:%1$d/products/kb-01%n"
            + "  curl -s http://127.0.0.1:%1$d/actuator/health%n",
        context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
  }

  private static int demo(int seconds) {
    long begin = System.nanoTime();
    ConfigurableApplicationContext context = start(0, "WARN");
    double startup = (System.nanoTime() - begin) / 1e9;
    try {
      clearEarlierRuns(context);
      ShopClient client =
          new ShopClient(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
      List<String> skus = context.getBean(ProductSource.class).skus();
      Run run = new Run(client, skus, seconds);
      run.drive();
      return run.report(startup, context.getEnvironment().getProperty("sample.redis", "?"));
    } finally {
      context.close();
    }
  }

  /**
   * Starts the service on {@code port} (0: a free one), with the Redis of {@code spring.data.redis.*}
   * or, when none is set, one started for this run and stopped after the context closes.
   */
  private static ConfigurableApplicationContext start(int port, String logLevel) {
    StandardEnvironment environment = new StandardEnvironment();
    boolean configured =
        environment.containsProperty("spring.data.redis.url")
            || environment.containsProperty("spring.data.redis.host");
    RedisServer started = configured ? null : RedisLauncher.startStandalone();
    SpringApplicationBuilder builder =
        new SpringApplicationBuilder(ShopApplication.class)
            .properties(
                "server.address=127.0.0.1",
                "server.port=" + port,
                "spring.main.banner-mode=off",
                "logging.level.root=" + logLevel,
                "logging.level.dev.weft=INFO",
                "logging.level.dev.weft.sample=WARN",
                "logging.pattern.console=%-5level %logger{0} - %msg%n",
                "sample.redis="
                    + (started == null
                        ? "the one spring.data.redis.* names"
                        : "none named by spring.data.redis.*, so one was started for this run ("
                            + started.source() + ")"));
    if (started != null) {
      builder
          .properties("spring.data.redis.url=" + started.url())
          .initializers(
              context ->
                  ((DefaultSingletonBeanRegistry) context.getBeanFactory())
                      .registerDisposableBean("sampleRedis", started::close));
    }
    try {
      return builder.run();
    } catch (RuntimeException e) {
      if (started != null) {
        started.close();
      }
      throw e;
    }
  }

  /** Removes what an earlier run on the same Redis left: cache entries, limits, the ledger. */
  private static void clearEarlierRuns(ConfigurableApplicationContext context) {
    Weft weft = context.getBean(Weft.class);
    weft.invalidateNamespace("product:");
    weft.invalidateNamespace("weft:");
    Cache shipping = context.getBean(CacheManager.class).getCache("shipping");
    if (shipping != null) {
      shipping.clear();
    }
    context.getBean(StringRedisTemplate.class).delete(StockLedger.KEY_PREFIX + RESTOCKED);
  }

  private static int intOption(String[] args, String name, int otherwise) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return otherwise;
  }

  /** One run of the demo: the clients, their counts, and the checks on them. */
  private static final class Run {

    private final ShopClient client;
    private final List<String> skus;
    private final int seconds;

    private final AtomicLong productReads = new AtomicLong();
    private final AtomicLong shippingReads = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong botPlaced = new AtomicLong();
    private final AtomicLong botLimited = new AtomicLong();
    private final AtomicLong limitedWithoutRetryAfter = new AtomicLong();
    private final AtomicLong annPlaced = new AtomicLong();
    private final AtomicLong annLimited = new AtomicLong();
    private final AtomicLong restocked = new AtomicLong();
    private final AtomicLong restocksRefused = new AtomicLong();
    private volatile double botSeconds;
    private long oldPrice;
    private long newPrice;
    private long priceRead;
    private JsonNode stats;
    private JsonNode health;
    private long units;

    Run(ShopClient client, List<String> skus, int seconds) {
      this.client = client;
      this.skus = skus;
      this.seconds = seconds;
    }

    void drive() {
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < SHOPPERS; i++) {
        threads.add(client("shopper-" + i, () -> shop(deadline)));
      }
      threads.add(client("order-bot", () -> orderBot(deadline)));
      threads.add(client("customer", () -> customer(deadline)));
      for (int i = 0; i < RESTOCKERS; i++) {
        threads.add(client("restocker-" + i, this::restock));
      }
      threads.forEach(Thread::start);
      pause((deadline - System.nanoTime()) / 2_000_000);
      changePrice();
      for (Thread thread : threads) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      units = client.stock(RESTOCKED).body().path("units").asLong();
      stats = client.stats().body();
      health = client.health().body();
    }

    private void shop(long deadline) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int i = 0; System.nanoTime() < deadline; i++) {
        expect(client.product(skus.get(random.nextInt(skus.size()))).status(), 200);
        productReads.incrementAndGet();
        if (i % 3 == 0) {
          expect(client.shipping(COUNTRIES.get(random.nextInt(COUNTRIES.size()))).status(), 200);
          shippingReads.incrementAndGet();
        }
      }
    }

    private void orderBot(long deadline) {
      long first = System.nanoTime();
      while (System.nanoTime() < deadline) {
        ShopClient.Answer answer = client.order("bot", "kb-01", 1);
        if (answer.status() == 201) {
          botPlaced.incrementAndGet();
        } else if (answer.status() == 429) {
          botLimited.incrementAndGet();
          if (answer.header("Retry-After").isEmpty()) {
            limitedWithoutRetryAfter.incrementAndGet();
          }
        } else {
          errors.incrementAndGet();
        }
      }
      botSeconds = (System.nanoTime() - first) / 1e9;
    }

    /** Orders twice a second, within the limit of three: never limited. */
    private void customer(long deadline) {
      while (System.nanoTime() < deadline) {
        int status = client.order("ann", "ms-02", 1).status();
        if (status == 201) {
          annPlaced.incrementAndGet();
        } else if (status == 429) {
          annLimited.incrementAndGet();
        } else {
          errors.incrementAndGet();
        }
        pause(500);
      }
    }

    private void restock() {
      for (int i = 0; i < RESTOCKS_EACH; i++) {
        int status = client.restock(RESTOCKED, UNITS_PER_RESTOCK).status();
        if (status == 200) {
          restocked.incrementAndGet();
        } else if (status == 409) {
          restocksRefused.incrementAndGet();
        } else {
          errors.incrementAndGet();
        }
      }
    }

    private void changePrice() {
      oldPrice = client.product("kb-01").body().path("priceCents").asLong();
      newPrice = oldPrice + 1000;
      expect(client.changePrice("kb-01", newPrice).status(), 200);
      priceRead = client.product("kb-01").body().path("priceCents").asLong();
    }

    private void expect(int status, int expected) {
      if (status != expected) {
        errors.incrementAndGet();
      }
    }

    int report(double startup, String redis) {
      long sourceReads = stats.path("productReads").asLong();
      long computed = stats.path("ratesComputed").asLong();
      String cacheManager = stats.path("cacheManager").asText();
      boolean proxied = stats.path("catalogProxied").asBoolean();
      int mostInside = stats.path("mostRestocksInside").asInt();
      long botAllowed = OrderService.ORDERS_PER_USER + (long) Math.ceil(botSeconds * OrderService.ORDERS_PER_USER) + 1;
      long expectedUnits = (long) RESTOCKERS * RESTOCKS_EACH * UNITS_PER_RESTOCK;
      long requests =
          productReads.get() + shippingReads.get() + botPlaced.get() + botLimited.get()
              + annPlaced.get() + annLimited.get() + restocked.get() + restocksRefused.get() + 3;

      StringBuilder out = new StringBuilder();
      line(out, "Weft sample: Spring Boot service (Spring Boot %s, weft-spring-boot-starter)", SpringBootVersion.getVersion());
      row(out, "weaving", "none: no build plugin, no agent; %s",
          proxied ? "the annotations are applied by the starter's Spring AOP proxies" : "the beans are NOT proxied");
      row(out, "Redis", "%s", redis);
      row(out, "settings", "spring.data.redis.* (Weft and Boot's StringRedisTemplate), weft.key-prefix, weft.cache-manager.enabled");
      row(out, "started", "in %.1f s (Redis and the service)", startup);
      line(out, "");
      row(out, "load", "%d shoppers, 1 order bot and 1 customer for %d s, %d restockers at once; %,d requests, %,d errors",
          SHOPPERS, seconds, RESTOCKERS, requests, errors.get());
      row(out, "@Cached", "GET /products/{sku}: %,d reads of %d products, %d reached the source (one per product, one more after the price change): %.1f %% hits",
          productReads.get() + 2, skus.size(), sourceReads, 100.0 * (productReads.get() + 2 - sourceReads) / (productReads.get() + 2));
      row(out, "@Invalidate", "PUT /products/kb-01/price %d -> %d: the next read answered %d", oldPrice, newPrice, priceRead);
      row(out, "@Cacheable", "GET /shipping/{country}: %,d reads of %d countries, %d rates computed, on %s",
          shippingReads.get(), COUNTRIES.size(), computed, cacheManager.substring(cacheManager.lastIndexOf('.') + 1));
      row(out, "@RateLimited", "POST /orders, %d per second per user: the bot placed %,d in %.1f s, %,d answered 429 (%s);",
          OrderService.ORDERS_PER_USER, botPlaced.get(), botSeconds, botLimited.get(),
          limitedWithoutRetryAfter.get() == 0 ? "each with Retry-After" : limitedWithoutRetryAfter.get() + " without Retry-After");
      row(out, "", "the customer, twice a second, placed %d, limited %d times", annPlaced.get(), annLimited.get());
      row(out, "@DistributedLock", "POST /stock/%s/restock: %d restocks by %d callers, %,d units = %d x %d, %d refused; at most %d inside at a time",
          RESTOCKED, restocked.get(), RESTOCKERS, units, restocked.get(), UNITS_PER_RESTOCK, restocksRefused.get(), mostInside);
      row(out, "health", "/actuator/health %s %s", health.path("status").asText(), components(health));
      line(out, "");

      List<String> failures = new ArrayList<>();
      check(failures, proxied, "the annotated beans are not proxied: Weft's annotations did nothing");
      check(failures, errors.get() == 0, errors.get() + " requests failed");
      check(failures, sourceReads <= skus.size() + 1,
          "@Cached: " + sourceReads + " reads reached the source, more than one per product (+1)");
      check(failures, priceRead == newPrice, "@Invalidate: the read after the price change answered the old price");
      check(failures, computed <= COUNTRIES.size(), "@Cacheable: " + computed + " rates computed for " + COUNTRIES.size() + " countries");
      check(failures, cacheManager.startsWith("dev.weft."), "@Cacheable: the CacheManager is " + cacheManager + ", not Weft's");
      check(failures, botLimited.get() > 0 && botPlaced.get() <= botAllowed,
          "@RateLimited: the bot placed " + botPlaced.get() + " orders (at most " + botAllowed + " allowed), " + botLimited.get() + " limited");
      check(failures, limitedWithoutRetryAfter.get() == 0, "@RateLimited: a 429 without Retry-After");
      check(failures, annLimited.get() == 0 && annPlaced.get() > 0, "@RateLimited: the customer within the limit was limited");
      check(failures, units == expectedUnits && restocked.get() == RESTOCKERS * RESTOCKS_EACH,
          "@DistributedLock: " + units + " units in stock, expected " + expectedUnits + " (lost updates)");
      check(failures, mostInside == 1, "@DistributedLock: " + mostInside + " restocks were inside at once");
      check(failures, "UP".equals(health.path("status").asText()), "/actuator/health is not UP");
      check(failures, "UP".equals(health.path("components").path("weft").path("status").asText()),
          "/actuator/health has no weft component that is UP");
      if (failures.isEmpty()) {
        line(out, "  PASSED: cached, invalidated, rate limited and locked by Weft with nothing but the starter; @Cacheable on Weft's CacheManager; health UP.");
      } else {
        failures.forEach(failure -> line(out, "  FAILED: %s", failure));
      }
      System.out.print(out);
      System.out.flush();
      return failures.isEmpty() ? 0 : 1;
    }

    private static String components(JsonNode health) {
      List<String> parts = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> fields = health.path("components").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        parts.add(field.getKey() + " " + field.getValue().path("status").asText());
      }
      return parts.isEmpty() ? "" : "(" + String.join(", ", parts) + ")";
    }

    private static void check(List<String> failures, boolean passed, String failure) {
      if (!passed) {
        failures.add(failure);
      }
    }

    private static void row(StringBuilder out, String label, String format, Object... args) {
      line(out, "  %-17s %s", label, String.format(Locale.ROOT, format, args));
    }

    private static void line(StringBuilder out, String format, Object... args) {
      out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }

    /** A client thread; a call that fails outright (no answer) counts as an error and ends it. */
    private Thread client(String name, Runnable body) {
      return new Thread(
          () -> {
            try {
              body.run();
            } catch (RuntimeException e) {
              errors.incrementAndGet();
              System.err.println(name + ": " + e);
            }
          },
          "demo-" + name);
    }

    private static void pause(long millis) {
      try {
        Thread.sleep(Math.max(0, millis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
