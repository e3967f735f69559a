package dev.weft.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.http.HttpResponse;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every example application must do under the Weft agent, checked from outside: over HTTP,
 * in its output and in Redis. Each subclass starts one application (once, for all its tests) in a
 * JVM of its own, as its users start it, against the test class's Redis. The applications serve
 * the same HTTP interface: {@code /items/{id}} ({@code @Cached}), {@code /greetings/{user}}
 * ({@code @RateLimited}, 2 a minute), {@code /jobs/{name}} ({@code @DistributedLock}, held until
 * {@code /jobs/{name}/finish}), {@code /own-redis/{key}} (the application's own Redis client) and
 * {@code /versions} (the libraries it runs on, as its own class loader sees them).
 */
@WeftRedis(flushBeforeEach = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppUnderAgentContract {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The application under test, started before the first test. */
  AppJvm app;

  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;

  /**
   * Starts the application.
   *
   * @param redisUrl the Redis it must use, for Weft and for its own client
   * @return the running application, never {@code null}
   */
  abstract AppJvm start(String redisUrl) throws Exception;

  /** @return the libraries the application ships, which it must run on */
  abstract AppLibraries shipped() throws Exception;

  /** Checks the application's output beyond the absence of SLF4J's warnings. */
  abstract void assertLogging(List<String> lines) throws Exception;

  /** @return the Java feature version the application must run on */
  int javaFeature() {
    return Runtime.version().feature();
  }

  @BeforeAll
  void startApplication(RedisServer redis) throws Exception {
    client = RedisClient.create(redis.uri());
    connection = client.connect();
    app = start(redis.url());
  }

  @AfterAll
  void stopApplication() throws Exception {
    if (app != null) {
      app.close();
    }
    if (connection != null) {
      connection.close();
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  @Test
  void logging_hasNoWarningsFromWeftsPackaging() throws Exception {
    List<String> lines = app.lines();
    assertThat(lines)
        .as("SLF4J's warnings (a logging API without a provider on the class path) in %s", app)
        .noneMatch(line -> line.startsWith("SLF4J"));
    assertLogging(lines);
  }

  @Test
  void cachedEndpoint_reachesItsSourceOnce_thenServesFromRedis() throws Exception {
    int loadsBefore = loads();
    JsonNode first = json(app.get("/items/c-1"), 200);
    JsonNode second = json(app.get("/items/c-1"), 200);

    assertThat(first.path("id").asText()).isEqualTo("c-1");
    assertThat(second).as("the second answer is the first one, from Redis").isEqualTo(first);
    assertThat(loads() - loadsBefore).as("calls that reached the source").isEqualTo(1);
    String cached = redis().get("items:c-1");
    assertThat(cached).as("the cached item in Redis").isNotNull();
    assertThat(JSON.readTree(cached)).isEqualTo(first);
    assertThat(redis().pttl("items:c-1")).isBetween(1L, 600_000L);
  }

  @Test
  void rateLimitedEndpoint_beyondItsLimit_answers429WithRetryAfter() throws Exception {
    assertThat(app.get("/greetings/ann").statusCode()).isEqualTo(200);
    assertThat(app.get("/greetings/ann").statusCode()).isEqualTo(200);

    HttpResponse<String> third = app.get("/greetings/ann");

    assertThat(third.statusCode()).as("third greeting within a minute: %s", third.body())
        .isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After"))
        .hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
    assertThat(third.headers().firstValue("RateLimit-Limit")).hasValue("2");
    assertThat(third.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    assertThat(app.get("/greetings/bob").statusCode()).as("another user's limit").isEqualTo(200);
  }

  @Test
  void distributedLock_refusesASecondHolder() throws Exception {
    CompletableFuture<HttpResponse<String>> holder = app.sendAsync("POST", "/jobs/nightly");
    Await.until(Duration.ofSeconds(30), () -> "the first run of the job holds its lock",
        () -> running("nightly") == 1);
    assertThat(redis().exists("weft:lock:{job:nightly}")).as("the lock's key in Redis").isOne();

    HttpResponse<String> second = app.send("POST", "/jobs/nightly", null);

    assertThat(second.statusCode()).as("a second run while the first holds the lock: %s",
        second.body()).isEqualTo(409);
    assertThat(json(second, 409).path("error").asText())
        .isEqualTo("dev.weft.exception.LockNotAcquiredException");
    assertThat(json(app.send("POST", "/jobs/nightly/finish", null), 200)).isNotNull();
    HttpResponse<String> first = holder.get(30, TimeUnit.SECONDS);
    assertThat(json(first, 200).path("result").asText()).isEqualTo("finished");
    Await.until(Duration.ofSeconds(10), () -> "the lock released",
        () -> redis().exists("weft:lock:{job:nightly}") == 0);
  }

  @Test
  void applicationsOwnRedisClient_stillWorks() throws Exception {
    json(app.send("PUT", "/own-redis/own:greeting", "hello from the app"), 200);

    assertThat(redis().get("own:greeting")).isEqualTo("hello from the app");
    redis().set("own:reply", "hello from the test");
    assertThat(json(app.get("/own-redis/own:reply"), 200).path("value").asText())
        .isEqualTo("hello from the test");
  }

  @Test
  void versions_areTheApplicationsOwn_notWefts() throws Exception {
    JsonNode versions = json(app.get("/versions"), 200);
    AppLibraries shipped = shipped();

    assertThat(Runtime.Version.parse(versions.path("java").asText()).feature())
        .as("the JDK the application runs on").isEqualTo(javaFeature());
    JsonNode libraries = versions.path("libraries");
    for (String library : AppLibraries.reported()) {
      JsonNode reported = libraries.path(library);
      AppLibraries.Jar jar = shipped.jars().get(library);
      if (jar == null) {
        assertThat(reported.path("absent").asBoolean())
            .as("%s, which the application does not ship, is not visible to it: %s", library,
                reported)
            .isTrue();
        continue;
      }
      String source = reported.path("source").asText();
      assertThat(source.endsWith("!/") ? source.substring(0, source.length() - 2) : source)
          .as("where the application's %s comes from", library)
          .endsWith("/" + jar.fileName())
          .doesNotContain("weft-agent");
      assertThat(reported.path("version").asText())
          .as("the version of the application's %s", library)
          .startsWith(jar.version());
    }
    assertThat(shipped.jars().get("lettuce").version())
        .as("the application's Lettuce differs from Weft's, or this test proves nothing")
        .isNotEqualTo(System.getProperty("weft.lettuce.version"));
    AppLibraries.Jar jackson = shipped.jars().getOrDefault("jackson2-databind",
        shipped.jars().get("jackson3-databind"));
    assertThat(jackson.version())
        .as("the application's Jackson differs from Weft's, or this test proves nothing")
        .isNotEqualTo(System.getProperty("weft.jackson.version"));
  }

  int loads() throws Exception {
    return json(app.get("/items-loads"), 200).path("loads").asInt();
  }

  @Test
  void weft_runsOnTheLettuceAndJacksonOfItsAgentJar() throws Exception {
    json(app.get("/items/own-libraries-1"), 200);
    String agentJar = Paths.get(AppJvm.agentJar()).getFileName().toString();

    List<String> loads = app.classLoads();

    // Weft's copies may be relocated or in a class loader of the agent's own: either way their
    // classes come from the agent jar, whatever the application brought.
    for (String weftUses : List.of(
        "io.lettuce.core.RedisClient", "com.fasterxml.jackson.databind.ObjectMapper")) {
      Pattern fromAgent = Pattern.compile("\\] ([\\w$]+\\.)*" + Pattern.quote(weftUses)
          + " source: .*" + Pattern.quote(agentJar));
      assertThat(loads)
          .as("a %s of Weft's, loaded from %s, in %s's class-load log", weftUses, agentJar, app)
          .anyMatch(line -> fromAgent.matcher(line).find());
    }
  }

  private int running(String job) {
    try {
      return json(app.get("/jobs/" + job), 200).path("running").asInt();
    } catch (Exception e) {
      throw new AssertionError("asking " + app + " about job " + job, e);
    }
  }

  RedisCommands<String, String> redis() {
    return connection.sync();
  }

  JsonNode json(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode())
        .as("%s %s answered %s", response.request().method(), response.request().uri(),
            response.body())
        .isEqualTo(status);
    return JSON.readTree(response.body());
  }
}
