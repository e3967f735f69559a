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
 * Gives a JUnit 5 test class its own Redis Cluster of three masters, started by {@link
 * RedisLauncher#startCluster()} before the class's first test and closed after its last one,
 * whether the tests pass or fail.
 *
 * <p>Declare a {@link RedisCluster} parameter on the test constructor, a {@code @BeforeAll},
 * {@code @BeforeEach} or test method to receive it. Before each test every node is emptied with
 * {@code FLUSHALL} unless {@link #flushBeforeEach()} is {@code false}. {@code @Nested} classes
 * share the enclosing class's cluster. The class is also tagged {@code "redis"}.
 *
 * <p>May be combined with {@link WeftRedis @WeftRedis} on the same class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("redis")
@ExtendWith(RedisClusterExtension.class)
public @interface WeftRedisCluster {

  /**
   * @return whether to run {@code FLUSHALL} on every node before each test; {@code true} by default
   */
  boolean flushBeforeEach() default true;
}
