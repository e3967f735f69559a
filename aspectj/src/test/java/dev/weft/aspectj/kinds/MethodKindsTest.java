package dev.weft.aspectj.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.aspectj.WovenRedisTest;
import dev.weft.test.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of method a user may annotate is woven: the second call with the same arguments is
 * served from Redis without running the body. The README's support table lists these kinds.
 */
class MethodKindsTest extends WovenRedisTest {

  private final Kinds kinds = new Kinds();

  @BeforeEach
  void clearCounts() {
    Kinds.RUNS.clear();
  }

  private static int runs(String kind) {
    var count = Kinds.RUNS.get(kind);
    return count == null ? 0 : count.get();
  }

  /** Calls {@code call} twice: the body runs once, the value is the same, the key exists. */
  private void cachedOnce(String kind, String key, Callable<String> call) throws Exception {
    String first = call.call();
    String second = call.call();
    assertThat(second).as(kind).isEqualTo(first);
    assertThat(runs(kind)).as("runs of the %s method", kind).isEqualTo(1);
    if (key != null) {
      assertThat(redis.exists(key)).as("entry %s", key).isEqualTo(1);
    }
  }

  @Test
  void instanceStaticPrivateFinal() throws Exception {
    cachedOnce("instance", "kinds:instance:a", () -> kinds.instance("a"));
    cachedOnce("static", "kinds:static:a", () -> Kinds.statik("a"));
    cachedOnce("private", "kinds:private:a", () -> kinds.viaPrivate("a"));
    cachedOnce("final", "kinds:final:a", () -> kinds.finalMethod("a"));
  }

  @Test
  void genericAndVarargs() throws Exception {
    cachedOnce("generic", "kinds:generic:7", () -> kinds.generic(7));
    cachedOnce("varargs", null, () -> kinds.varargs("x", "y"));
    kinds.varargs("x", "z");
    assertThat(runs("varargs")).as("other varargs, other key").isEqualTo(2);
  }

  @Test
  void overloads_haveDistinctKeys() throws Exception {
    cachedOnce("overload(String)", null, () -> kinds.overload("1"));
    cachedOnce("overload(int)", null, () -> kinds.overload(1));
    assertThat(kinds.overload("1")).isEqualTo("overload(String):1");
    assertThat(kinds.overload(1)).isEqualTo("overload(int):1");
  }

  @Test
  void recordsNestedInnerDefaultAndAnonymousClasses() throws Exception {
    Kinds.Point point = new Kinds.Point(1, 2);
    cachedOnce("record", "kinds:record:p", () -> point.label("p"));
    Kinds.Nested nested = new Kinds.Nested();
    cachedOnce("nested", "kinds:nested:a", () -> nested.find("a"));
    Kinds.Inner inner = kinds.new Inner();
    cachedOnce("inner", "kinds:inner:a", () -> inner.find("a"));
    Kinds.WithDefault viaDefault = new Kinds.Implementor();
    cachedOnce("default", "kinds:default:a", () -> viaDefault.find("a"));
    var anonymous = Kinds.anonymous();
    cachedOnce("anonymous", "kinds:anonymous", anonymous::get);
  }

  @Test
  void checkedException_reachesTheCallerUnchanged() {
    assertThatThrownBy(() -> kinds.checked("a")).isExactlyInstanceOf(IOException.class)
        .hasMessage("no a");
    assertThatThrownBy(() -> kinds.checked("a")).isExactlyInstanceOf(IOException.class);
    assertThat(runs("checked")).as("nothing cached after an exception").isEqualTo(2);
    assertThat(redis.exists("kinds:checked:a")).isZero();
  }

  @Test
  void completableFuture_cachesTheCompletedValue() throws Exception {
    String first = kinds.future("a").get(10, TimeUnit.SECONDS);
    assertThat(first).isEqualTo("future:a");
    // the entry is written when the future completes
    Await.until(Duration.ofSeconds(10), () -> "kinds:future:a written",
        () -> redis.exists("kinds:future:a") == 1);
    assertThat(redis.exists("kinds:future:a")).as("entry written on completion").isEqualTo(1);
    assertThat(kinds.future("a").get(10, TimeUnit.SECONDS)).isEqualTo(first);
    assertThat(runs("future")).isEqualTo(1);
  }
}
