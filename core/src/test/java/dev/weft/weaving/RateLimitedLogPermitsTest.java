package dev.weft.weaving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.annotation.RateLimited;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sliding-log limit stores one sorted-set member per permit, all added in one script: {@code
 * permits = 1_000_000} would make one call run a million {@code ZADD}s while Redis serves nobody
 * else. Above {@link RateLimitAlgorithm#MAX_LOG_PERMITS} such a method fails at its first call
 * (as weft-processor fails its compile), naming the method, the attribute and the fix.
 */
@WeftRedis
class RateLimitedLogPermitsTest {

  static final class Fixture {
    final AtomicInteger runs = new AtomicInteger();

    @RateLimited(key = "{user}", permits = 1_000_000, window = "1h",
        algorithm = RateLimitAlgorithm.SLIDING_WINDOW_LOG)
    String huge(String user) {
      runs.incrementAndGet();
      return user;
    }

    @RateLimited(key = "{user}", permits = 10_000, window = "1h",
        algorithm = RateLimitAlgorithm.SLIDING_WINDOW_LOG)
    String atTheMaximum(String user) {
      runs.incrementAndGet();
      return user;
    }
  }

  private final Fixture fixture = new Fixture();
  private Weft weft;
  private Weft previous;

  @BeforeEach
  void install(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    previous = Weft.install(weft);
  }

  @AfterEach
  void restore() {
    if (previous != null) {
      Weft.install(previous);
    }
    weft.close();
  }

  @Test
  void slidingLogAboveMaximum_failsAtFirstCall_namingMethodPermitsAndFix() throws Exception {
    MethodPlan plan = MethodPlan.build(method("huge"));

    assertThatThrownBy(() -> plan.around(fixture, new Object[] {"ada"}, a -> fixture.huge("ada")))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("@RateLimited(algorithm = SLIDING_WINDOW_LOG, permits = 1000000")
        .hasMessageContaining("huge(String)")
        .hasMessageContaining("above 10000")
        .hasMessageContaining("use SLIDING_WINDOW_COUNTER or GCRA for large limits");
    assertThat(fixture.runs).hasValue(0);
  }

  @Test
  void slidingLogAtMaximum_runs() throws Throwable {
    MethodPlan plan = MethodPlan.build(method("atTheMaximum"));

    assertThat(plan.around(fixture, new Object[] {"ada"}, a -> fixture.atTheMaximum("ada")))
        .isEqualTo("ada");
    assertThat(fixture.runs).hasValue(1);
  }

  private static Method method(String name) throws NoSuchMethodException {
    return Fixture.class.getDeclaredMethod(name, String.class);
  }
}
