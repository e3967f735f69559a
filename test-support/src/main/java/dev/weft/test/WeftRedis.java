package dev.weft.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class its own real Redis server, started by {@link
 * RedisLauncher#startStandalone()} before the class's first test and closed after its last one,
 * whether the tests pass or fail.
 *
 * <p>Declare a {@link RedisServer} parameter on the test constructor, a {@code @BeforeAll},
 * {@code @BeforeEach} or test method to receive it. Before each test the server is emptied with
 * {@code FLUSHALL} (unless {@link #flushBeforeEach()} is {@code false}) and, if an earlier test
 * stopped or killed it without starting it again, restarted on the same port. {@code @Nested}
 * classes share the enclosing class's server. The class is also tagged {@code "redis"}, so builds
 * can include or exclude Redis-backed tests by tag.
 *
 * <pre>{@code
 * @WeftRedis
 * class CacheTest {
 *   @Test
 *   void get_absentKey_loadsOnce(RedisServer redis) { ... redis.uri() ... }
 * }
 * }</pre>
 *
 * <p>May be combined with {@link WeftRedisCluster @WeftRedisCluster} on the same class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("redis")
@ExtendWith(RedisServerExtension.class)
public @interface WeftRedis {

  /**
   * @return whether to run {@code FLUSHALL} before each test; {@code true} by default, so that
   *     tests do not see each other's keys
   */
  boolean flushBeforeEach() default true;
}
