package dev.weft.spring.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code @Cacheable(sync = true)} on the Weft cache manager: 16 callers of one missing key, 8 in
 * each of two application contexts in two JVMs, run the method once. (Spring's {@code
 * RedisCacheManager} synchronises within a JVM only, so each JVM would load.) The second JVM
 * runs {@link SyncStampedeApp#main} on this JVM's class path.
 */
@WeftRedis
class SyncStampedeAcrossJvmsTest {

  @Test
  void cacheableSync_sixteenCallersInTwoJvms_loadOnce(RedisServer server) throws Exception {
    RedisClient client = RedisClient.create(server.url());
    Path log = Files.createTempFile("weft-stampede", ".log");
    Process child = null;
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      redis.del("stampede:loads", "stampede:arrived", "stampede:ready", "stampede:go", "quotes::kb");
      child =
          new ProcessBuilder(
                  Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp", System.getProperty("java.class.path"),
                  SyncStampedeApp.class.getName(), server.url())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      List<String> here;
      try (ConfigurableApplicationContext context = SyncStampedeApp.start(server.url())) {
        Process started = child;
        Await.until(Duration.ofSeconds(90), () -> "the second JVM's application started; "
                + (started.isAlive() ? "" : "it exited: ") + read(log),
            () -> redis.exists("stampede:ready") == 1 || !started.isAlive());
        assertThat(child.isAlive()).as("the second JVM is running: %s", read(log)).isTrue();
        redis.set("stampede:go", "1");
        here = SyncStampedeApp.stampede(context);
      }
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the second JVM exits").isTrue();
      List<String> there = new ArrayList<>();
      for (String line : read(log).split("\\R")) {
        if (line.startsWith("result=")) {
          there.add(line.substring("result=".length()));
        }
      }
      String quote = new SyncStampedeApp.Quote("kb", 4200).toString();

      assertThat(here).hasSize(SyncStampedeApp.CALLERS).containsOnly(quote);
      assertThat(there).as(read(log)).hasSize(SyncStampedeApp.CALLERS).containsOnly(quote);
      assertThat(redis.get("stampede:arrived")).isEqualTo(String.valueOf(2 * SyncStampedeApp.CALLERS));
      assertThat(redis.get("stampede:loads")).isEqualTo("1");
    } finally {
      if (child != null && child.isAlive()) {
        child.destroyForcibly();
      }
      Files.deleteIfExists(log);
      client.shutdown();
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
