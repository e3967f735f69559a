package dev.weft.aspectj.caching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.aspectj.Mode;
import dev.weft.aspectj.caching.Shop.Product;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code @Invalidate} or {@code @WriteThrough} whose Redis call fails after the method ran is
 * not dropped: it is retried in the background and applied once Redis takes writes again, so the
 * old entry is not served until its TTL. Redis refuses for real: the runtime's ACL user loses the
 * commands that write ({@code SET}, {@code UNLINK}) and gets them back.
 *
 * <p>Woven modes only: the programmatic {@code WeftCache.put}/{@code invalidate} throw to their
 * caller instead, who decides.
 */
@WeftRedis
class FailedInvalidationTest {

  private static final Duration BACK = Duration.ofSeconds(15);

  private RedisClient admin;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;
  private Weft weft;
  private Weft previous;
  private Shop shop;

  @BeforeEach
  void start(RedisServer server) {
    Assumptions.assumeTrue(Mode.annotated(), "the programmatic API throws to its caller instead");
    admin = RedisClient.create(server.uri());
    connection = admin.connect();
    redis = connection.sync();
    redis.flushall();
    redis.aclSetuser("app", AclSetuserArgs.Builder
        .on().addPassword("app-pw").allKeys().allCommands().allChannels());
    weft = Weft.builder()
        .redisUrl("redis://app:app-pw@" + server.host() + ":" + server.port())
        .commandTimeout("1s")
        .build();
    previous = Weft.install(weft);
    shop = Shop.create();
  }

  @AfterEach
  void stop() {
    if (weft == null) {
      return;
    }
    if (previous != null) {
      Weft.install(previous);
    }
    weft.close();
    redis.aclDeluser("app");
    connection.close();
    admin.shutdown();
  }

  private void refuseWrites() {
    redis.aclSetuser("app", AclSetuserArgs.Builder
        .removeCommand(CommandType.SET).removeCommand(CommandType.UNLINK));
  }

  private void allowWrites() {
    redis.aclSetuser("app", AclSetuserArgs.Builder
        .addCommand(CommandType.SET).addCommand(CommandType.UNLINK));
  }

  @Test
  void invalidate_failingAfterTheBody_isAppliedOnceRedisTakesWritesAgain() {
    assertThat(shop.product("kb", "peripherals")).isNotNull();
    refuseWrites();

    shop.remove("kb");
    assertThat(shop.product("kb", "peripherals")).as("the old entry, while refused").isNotNull();

    allowWrites();
    Await.until(BACK, () -> "the removal applied",
        () -> shop.product("kb", "peripherals") == null);
  }

  @Test
  void writeThrough_failingAfterTheBody_removesTheOldEntryOnceRedisTakesWritesAgain() {
    assertThat(shop.product("kb", "peripherals").name()).isEqualTo("Keyboard");
    refuseWrites();

    shop.save(new Product("kb", "Keyboard v2", "peripherals", 9900));
    assertThat(shop.product("kb", "peripherals").name()).as("while refused").isEqualTo("Keyboard");

    allowWrites();
    Await.until(BACK, () -> "the new value read",
        () -> shop.product("kb", "peripherals").name().equals("Keyboard v2"));
    assertThat(shop.loads).as("read through the method after the removal").hasValue(2);
  }

  @Test
  void invalidateTag_failingAfterTheBody_isAppliedOnceRedisTakesWritesAgain() {
    shop.product("kb", "peripherals");
    shop.product("ms", "peripherals");
    refuseWrites();

    shop.repriceCategory("peripherals");
    assertThat(redis.exists("product:kb", "product:ms")).as("while refused").isEqualTo(2);

    allowWrites();
    Await.until(BACK, () -> "the tag's entries removed",
        () -> redis.exists("product:kb", "product:ms") == 0);
  }
}
