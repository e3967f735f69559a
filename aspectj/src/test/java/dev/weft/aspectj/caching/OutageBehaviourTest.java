package dev.weft.aspectj.caching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.aspectj.caching.Shop.Product;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A woven {@code @Cached} method while its Redis is killed and restarted: every call returns the
 * real result within a bound, and caching resumes once the server is back.
 */
@WeftRedis
class OutageBehaviourTest {

  private Weft weft;
  private Weft previous;

  @BeforeEach
  void start(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).commandTimeout("1s").build();
    previous = Weft.install(weft);
  }

  @AfterEach
  void stop() {
    if (previous != null) {
      Weft.install(previous);
    }
    weft.close();
  }

  /**
   * A near cache whose change feed is cut off could miss invalidations, so it must stop serving
   * local copies: with Redis killed, calls run the method rather than answer from memory.
   */
  @Test
  void nearCache_whenRedisIsLost_distrustsItsLocalCopies(RedisServer server) {
    Shop shop = Shop.create();
    shop.nearProduct("kb");
    shop.nearProduct("kb");
    shop.nearProduct("kb");
    assertThat(shop.loads).hasValue(1);

    server.kill();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int before = shop.loads.get();
    while (shop.loads.get() == before && System.nanoTime() < deadline) {
      assertThat(shop.nearProduct("kb").sku()).isEqualTo("kb");
    }
    assertThat(shop.loads.get()).as("local copies are no longer served").isGreaterThan(before);

    server.start();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    boolean local = false;
    while (!local && System.nanoTime() < deadline) {
      shop.nearProduct("kb");
      int loads = shop.loads.get();
      shop.nearProduct("kb");
      local = shop.loads.get() == loads;
    }
    assertThat(local).as("caching resumes after the restart").isTrue();
  }

  @Test
  void redisKilledMidRun_callsKeepAnswering_cachingResumesAfterRestart(RedisServer server) {
    Shop shop = Shop.create();
    Product expected = new Product("kb", "Keyboard", "peripherals", 8900);
    assertThat(shop.product("kb", "peripherals")).isEqualTo(expected);
    assertThat(shop.product("kb", "peripherals")).isEqualTo(expected);
    assertThat(shop.loads).hasValue(1);

    server.kill();
    for (int i = 0; i < 20; i++) {
      long start = System.nanoTime();
      assertThat(shop.product("kb", "peripherals")).isEqualTo(expected);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
    assertThat(shop.loads.get()).as("the method answered while Redis was down").isGreaterThan(1);

    server.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    boolean resumed = false;
    while (!resumed && System.nanoTime() < deadline) {
      shop.product("kb", "peripherals");
      int before = shop.loads.get();
      assertThat(shop.product("kb", "peripherals")).isEqualTo(expected);
      resumed = shop.loads.get() == before;
    }
    assertThat(resumed).as("caching resumes after the restart").isTrue();
  }
}
