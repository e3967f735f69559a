package dev.weft.aspectj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.aspectj.CatalogService.Customer;
import dev.weft.aspectj.CatalogService.Order;
import dev.weft.aspectj.CatalogService.Product;
import dev.weft.exception.WeftConfigurationException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code @Cached} under compile-time weaving: {@link CatalogService} is compiled by ajc with
 * {@link WeftAspect}, and every assertion reads Redis through a plain Lettuce client.
 */
@Tag("redis")
class CompileTimeWeavingTest extends WovenRedisTest {


  private CatalogService service;

  @BeforeEach
  void newService() {
    service = new CatalogService();
  }

  @Test
  void sameArgument_secondCallSkipsTheBody() {
    Product first = service.product("p-1");
    Product second = service.product("p-1");

    assertThat(second).isEqualTo(first);
    assertThat(service.calls).hasValue(1);
  }

  @Test
  void differentArgument_runsTheBody() {
    service.product("p-1");
    service.product("p-2");

    assertThat(service.calls).hasValue(2);
  }

  @Test
  void key_isExactlyTheTemplate_withTtl_andValueIsPlainJson() {
    service.product("p-42");

    assertThat(redis.keys("*")).containsExactly("product:p-42");
    assertThat(redis.get("product:p-42"))
        .isEqualTo("{\"sku\":\"p-42\",\"name\":\"Product p-42\",\"priceCents\":1999}");
    long pttl = redis.pttl("product:p-42");
    assertThat(pttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
  }

  @Test
  void selfInvocation_isIntercepted() {
    service.product("p-7");
    Product viaSelf = service.productViaSelf("p-7");

    assertThat(viaSelf.sku()).isEqualTo("p-7");
    assertThat(service.calls).hasValue(1);
  }

  @Test
  void listOfRecords_roundTripsAsTheDeclaredType() {
    List<Order> loaded = service.orders(5);
    List<Order> cached = new CatalogService().orders(5);

    assertThat(cached).isEqualTo(loaded);
    assertThat(cached.get(0)).isInstanceOf(Order.class);
    assertThat(cached.get(0).products().get(1)).isInstanceOf(Product.class);
    assertThat(redis.pttl("orders:5")).isBetween(1L, 30_000L);
    assertThat(redis.get("orders:5")).doesNotContain("@class");
  }

  @Test
  void nestedGenericMap_andGetterAndFieldPath() {
    CatalogService.Query query = new CatalogService.Query("eu", 3);
    Map<String, List<Product>> loaded = service.byRegion(query);
    Map<String, List<Product>> cached = service.byRegion(new CatalogService.Query("eu", 3));

    assertThat(cached).isEqualTo(loaded);
    assertThat(cached.get("eu").get(0)).isInstanceOf(Product.class);
    assertThat(service.calls).hasValue(1);
    assertThat(redis.exists("by-region:eu:3")).isEqualTo(1);
  }

  @Test
  void recordPath_andIsoTtl() {
    Order order = new Order(9, new Customer(77, "us"), List.of());
    service.owner(order);
    service.owner(new Order(10, new Customer(77, "eu"), List.of()));

    assertThat(service.calls).hasValue(1);
    assertThat(redis.get("order-owner:77")).isEqualTo("\"customer-77\"");
  }

  @Test
  void primitiveReturn_isCached() {
    assertThat(service.square(12)).isEqualTo(144);
    assertThat(service.square(12)).isEqualTo(144);
    assertThat(service.calls).hasValue(1);
  }

  @Test
  void nullResult_isCachedAsNull() {
    assertThat(service.nothing("n")).isNull();
    assertThat(service.nothing("n")).isNull();
    assertThat(service.calls).hasValue(1);
    assertThat(redis.get("missing:n")).isEqualTo("null");
  }

  @Test
  void checkedException_reachesTheCallerUnchanged_andNothingIsCached() {
    assertThatThrownBy(() -> service.failing("f"))
        .isInstanceOf(IOException.class)
        .hasMessage("source down for f");
    assertThatThrownBy(() -> service.failing("f")).isInstanceOf(IOException.class);
    assertThat(service.calls).hasValue(2);
    assertThat(redis.exists("fails:f")).isZero();
  }

  @Test
  void staticMethod_emptyKey_usesClassMethodAndArguments() {
    int before = CatalogService.STATIC_CALLS.get();
    assertThat(CatalogService.wholeCall("a", 1)).isEqualTo("a1");
    assertThat(CatalogService.wholeCall("a", 1)).isEqualTo("a1");
    assertThat(CatalogService.STATIC_CALLS.get() - before).isEqualTo(1);
    assertThat(redis.keys("*"))
        .containsExactly(CatalogService.class.getName() + ".wholeCall(String,int):[\"a\",1]");
  }

  @Test
  void unknownTemplateName_failsAtFirstCall_namingMethodAttributeAndFix() {
    assertThatThrownBy(() -> service.misnamed(1))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("@Cached(key = \"user:{idd}\")")
        .hasMessageContaining("CatalogService.misnamed(long)")
        .hasMessageContaining("no parameter named 'idd'; available: id");
    assertThat(service.calls).hasValue(0);
    assertThat(redis.dbsize()).isZero();
  }

  @Test
  void badTtl_failsAtFirstCall_showingAcceptedForms() {
    assertThatThrownBy(() -> service.badTtl(1))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("@Cached(ttl = \"10 minutes\")")
        .hasMessageContaining("\"500ms\", \"30s\", \"10m\", \"1h\", \"1d\"");
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void redisUnreachable_callsThrough_withinTheTimeout() {
    Weft dead = Weft.builder().redisUrl("redis://127.0.0.1:1").commandTimeout("200ms").build();
    Weft.install(dead);
    try {
      long start = System.nanoTime();
      assertThat(service.product("p-down").sku()).isEqualTo("p-down");
      assertThat(service.product("p-down").sku()).isEqualTo("p-down");
      assertThat(service.calls).hasValue(2);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    } finally {
      Weft.install(weft);
      dead.close();
    }
    assertThat(redis.exists("product:p-down")).isZero();
  }
}
