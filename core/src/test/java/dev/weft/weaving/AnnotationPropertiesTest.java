package dev.weft.weaving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.annotation.Cached;
import dev.weft.cache.CacheOptions;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ${...}} in annotation attributes is looked up in the lookup an adapter installed ({@link
 * AnnotationProperties}) before system properties and the environment.
 */
@WeftRedis
class AnnotationPropertiesTest {

  private Weft weft;
  private Weft previous;
  private Function<String, String> previousLookup;

  static class Fixture {
    @Cached(key = "props:{id}", ttl = "${weft.test.props.ttl:1m}")
    public String load(String id) {
      return "value " + id;
    }

    @Cached(key = "props:unset:{id}", ttl = "${weft.test.props.unset}")
    public String unset(String id) {
      return id;
    }
  }

  @BeforeEach
  void start(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    previous = Weft.install(weft);
  }

  @AfterEach
  void stop() {
    AnnotationProperties.use(previousLookup);
    if (previous != null) {
      Weft.install(previous);
    }
    weft.close();
  }

  @Test
  void cachedTtl_propertyReference_resolvesThroughTheInstalledLookup(RedisServer server)
      throws Throwable {
    Map<String, String> configuration = Map.of("weft.test.props.ttl", "7m");
    previousLookup = AnnotationProperties.use(configuration::get);
    MethodPlan plan = MethodPlan.build(method("load"));
    AnnotationProperties.use(previousLookup);
    MethodPlan withoutLookup = MethodPlan.build(method("load"));

    plan.around(new Fixture(), new Object[] {"a"}, args -> new Fixture().load((String) args[0]));
    withoutLookup.around(
        new Fixture(), new Object[] {"b"}, args -> new Fixture().load((String) args[0]));

    RedisClient client = RedisClient.create(server.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().pttl("props:a"))
          .as("7m from the lookup")
          .isBetween(Duration.ofMinutes(6).toMillis(), Duration.ofMinutes(7).toMillis());
      assertThat(connection.sync().pttl("props:b"))
          .as("the default, 1m, without it")
          .isBetween(1L, Duration.ofMinutes(1).toMillis());
    } finally {
      client.shutdown();
    }
  }

  @Test
  void lookup_isAskedBeforeSystemProperties_andNullFallsThroughToThem() {
    System.setProperty("weft.test.props.order", "3s");
    try {
      previousLookup = AnnotationProperties.use(name -> name.equals("weft.test.props.order") ? "2s" : null);
      assertThat(CacheOptions.defaults().ttl("${weft.test.props.order}").ttl())
          .isEqualTo(Duration.ofSeconds(2));

      AnnotationProperties.use(name -> null);
      assertThat(CacheOptions.defaults().ttl("${weft.test.props.order}").ttl())
          .isEqualTo(Duration.ofSeconds(3));
    } finally {
      System.clearProperty("weft.test.props.order");
    }
  }

  @Test
  void use_returnsTheLookupItReplaces() {
    Function<String, String> first = name -> null;
    Function<String, String> second = name -> "1s";
    previousLookup = AnnotationProperties.use(first);

    assertThat(AnnotationProperties.use(second)).isSameAs(first);
    assertThat(AnnotationProperties.installed()).isSameAs(second);
    assertThat(AnnotationProperties.use(null)).isSameAs(second);
    assertThat(AnnotationProperties.installed()).isNull();
  }

  @Test
  void unsetPropertyWithoutDefault_failsNamingThePropertyAndTheFix() {
    previousLookup = AnnotationProperties.use(name -> null);

    MethodPlan plan = MethodPlan.build(method("unset"));

    assertThatThrownBy(() -> plan.around(new Fixture(), new Object[] {"a"}, args -> "ran"))
        .hasMessageContaining("'weft.test.props.unset' is not set")
        .hasMessageContaining("in the application's configuration")
        .hasMessageContaining("environment variable WEFT_TEST_PROPS_UNSET")
        .hasMessageContaining("${weft.test.props.unset:10m}");
  }

  private static Method method(String name) {
    for (Method m : Fixture.class.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
