package dev.weft.spring.cache;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application of {@link SyncStampedeAcrossJvmsTest}, run in the test's JVM and, through
 * {@link #main}, in a second one: a {@code @Cacheable(sync = true)} method whose load counts
 * itself in Redis ({@code INCR stampede:loads}) and, standing for a slow database, holds on until
 * every caller of both JVMs has arrived ({@code stampede:arrived}), at most 8 s.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableCaching
public class SyncStampedeApp {

  /** Callers in each JVM. */
  public static final int CALLERS = 8;

  /** A price as the slow source gives it. */
  public record Quote(String sku, long cents) {}

  /** The bean whose cached method the callers call. */
  public static class Quotes implements DisposableBean {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    Quotes(String redisUrl) {
      client = RedisClient.create(redisUrl);
      connection = client.connect();
    }

    @Cacheable(cacheNames = "quotes", sync = true)
    public Quote quote(String sku) throws InterruptedException {
      RedisCommands<String, String> redis = connection.sync();
      redis.incr("stampede:loads");
      long deadline = System.nanoTime() + 8_000_000_000L;
      while (!String.valueOf(2 * CALLERS).equals(redis.get("stampede:arrived"))
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      return new Quote(sku, 4200);
    }

    /** Says in Redis that one more caller is about to call. */
    public void arrive() {
      connection.sync().incr("stampede:arrived");
    }

    @Override
    public void destroy() {
      connection.close();
      client.shutdown();
    }
  }

  @Bean
  Quotes quotes(@Value("${weft.redis.url}") String redisUrl) {
    return new Quotes(redisUrl);
  }

  /**
   * @param redisUrl the Redis both JVMs use
   * @return the application, its cache manager Weft's
   */
  public static ConfigurableApplicationContext start(String redisUrl) {
    return new SpringApplicationBuilder(SyncStampedeApp.class)
        .web(WebApplicationType.NONE)
        .properties(
            "weft.redis.url=" + redisUrl, "weft.cache-manager.enabled=true",
            // the load lock's lease outlasts the load's wait for every caller, even on a busy
            // machine, so no waiter takes the lock over from a loader that is still running
            "weft.cache-manager.load-timeout=30s")
        .run();
  }

  /**
   * Runs {@link #CALLERS} callers at once, each arriving first, and returns what they got.
   *
   * @param context the application
   * @return each caller's quote, or the text of what it threw
   */
  public static List<String> stampede(ConfigurableApplicationContext context) throws Exception {
    Quotes quotes = context.getBean(Quotes.class);
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        results.add(callers.submit(() -> {
          start.await();
          quotes.arrive();
          try {
            return String.valueOf(quotes.quote("kb"));
          } catch (RuntimeException e) {
            return e.toString();
          }
        }));
      }
      start.countDown();
      List<String> got = new ArrayList<>();
      for (Future<String> result : results) {
        got.add(result.get());
      }
      return got;
    } finally {
      callers.shutdownNow();
    }
  }

  /**
   * The second JVM: starts the application, says {@code stampede:ready}, waits (at most 60 s)
   * for {@code stampede:go}, runs the callers and prints {@code result=<quote>} per caller.
   *
   * @param args the Redis URL
   */
  public static void main(String[] args) throws Exception {
    String redisUrl = args[0];
    RedisClient client = RedisClient.create(redisUrl);
    try (StatefulRedisConnection<String, String> connection = client.connect();
        ConfigurableApplicationContext context = start(redisUrl)) {
      RedisCommands<String, String> redis = connection.sync();
      redis.set("stampede:ready", "1");
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (redis.get("stampede:go") == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      for (String result : stampede(context)) {
        System.out.println("result=" + result);
      }
    } finally {
      client.shutdown();
    }
    System.exit(0);
  }
}
