package dev.weft.weaving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.annotation.Cached;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.test.Await;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The first calls of a woven method made together: the callers that come while the plan is built
 * get a stand-in that waits for it, parked, outside {@link Woven#constant} (see {@link Woven},
 * "First calls"). The plan used here is one whose calls fail with its configuration error, so
 * that no Redis is needed to tell which plan a call went through.
 */
class WovenFirstCallsTest {

  @Cached(key = "first:{nope}", ttl = "1m")
  String misnamed(String id) {
    return id;
  }

  @Test
  void standIn_parksUntilThePlanIsBuilt_thenCallsGoThroughThatPlan() throws Exception {
    Method method = WovenFirstCallsTest.class.getDeclaredMethod("misnamed", String.class);
    CompletableFuture<MethodPlan> building = new CompletableFuture<>();
    MethodPlan standIn = MethodPlan.awaiting(method, building);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        standIn.enter(this, new Object[] {"a"});
      } catch (Throwable t) {
        failed.set(t);
      }
    }, "first-caller");
    caller.start();

    Await.until(Duration.ofSeconds(10), () -> "the caller waits, parked: " + caller.getState(),
        () -> caller.getState() == Thread.State.WAITING);
    assertThat(failed.get()).as("nothing happened before the plan was there").isNull();

    building.complete(MethodPlan.build(method));
    caller.join(10_000);
    assertThat(failed.get())
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("no parameter named 'nope'");
    assertThatThrownBy(() -> standIn.enter(this, new Object[] {"b"}))
        .as("a later call through the stand-in")
        .isInstanceOf(WeftConfigurationException.class);
  }

  @Test
  void standIn_isNeverRememberedForASite() throws Exception {
    Method method = WovenFirstCallsTest.class.getDeclaredMethod("misnamed", String.class);
    MethodPlan standIn = MethodPlan.awaiting(method, new CompletableFuture<>());

    for (int i = 0; i < 1_000; i++) {
      Object site = new Object();
      assertThat(Woven.remember(site, standIn)).isSameAs(standIn);
      assertThat(Woven.remembered(site)).as("a site remembered with a stand-in").isNull();
    }
  }

  @Test
  void builtPlan_isTheOneEveryLaterLookupGets() throws Exception {
    Method method = WovenFirstCallsTest.class.getDeclaredMethod("misnamed", String.class);

    MethodPlan first = Woven.plan(method);

    assertThat(first.standIn()).isFalse();
    assertThat(Woven.plan(method)).isSameAs(first);
    assertThat(Woven.plan(WovenFirstCallsTest.class, "misnamed(Ljava/lang/String;)Ljava/lang/String;"))
        .isSameAs(first);
  }
}
