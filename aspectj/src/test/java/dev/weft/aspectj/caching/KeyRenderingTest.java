package dev.weft.aspectj.caching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.aspectj.Mode;
import dev.weft.aspectj.WovenRedisTest;
import dev.weft.aspectj.caching.Reports.Criteria;
import dev.weft.aspectj.caching.Reports.Filter;
import dev.weft.aspectj.ratelimit.Quotes;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.exception.WeftConfigurationException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys name one argument tuple, stay out of Weft's own keys and have a bounded length; a
 * namespace ends at a separator. Read back with a plain Lettuce client.
 */
class KeyRenderingTest extends WovenRedisTest {

  /** A criteria type with nothing in it, which no key can tell apart from another. */
  static final class Everything implements Criteria {}

  private Reports reports;

  @BeforeEach
  void newReports() {
    redis.flushall();
    reports = Reports.create();
  }

  @Test
  void filtersWithOnlyPrivateFields_getTheirOwnEntries() {
    assumeTrue(Mode.annotated(), "keys rendered from arguments are the annotation layer's");

    String tv = reports.report(new Filter("tv", "acme"));
    String radio = reports.report(new Filter("radio", "acme"));
    String wholeTv = reports.wholeCall(new Filter("tv", "acme"));
    String wholeRadio = reports.wholeCall(new Filter("radio", "acme"));

    assertThat(radio).isNotEqualTo(tv);
    assertThat(wholeRadio).isNotEqualTo(wholeTv);
    assertThat(reports.report(new Filter("tv", "acme"))).isEqualTo(tv);
    assertThat(redis.keys("*")).noneMatch(key -> key.contains("{}"));
  }

  @Test
  void jsonIgnoredTenant_stillSeparatesEntries() {
    assumeTrue(Mode.annotated(), "keys rendered from arguments are the annotation layer's");

    String acme = reports.report(new Filter("tv", "acme"));
    String globex = reports.report(new Filter("tv", "globex"));

    assertThat(globex).isNotEqualTo(acme);
    assertThat(reports.wholeCall(new Filter("tv", "globex")))
        .isNotEqualTo(reports.wholeCall(new Filter("tv", "acme")));
  }

  @Test
  void separatorsInsideValues_doNotMergeTuples() {
    assumeTrue(Mode.annotated(), "keys rendered from arguments are the annotation layer's");

    String first = reports.stock("acme", "eu:1");
    String second = reports.stock("acme:eu", "1");

    assertThat(second).isNotEqualTo(first);
    assertThat(redis.keys("inv:*")).hasSize(2);
    assertThat(reports.stock("acme", "eu:1")).isEqualTo(first);
  }

  @Test
  void namespace_removesItsKeyAndKeysBelowIt_butNotAnIdThatMerelyStartsAlike() {
    reports.user(1);
    reports.orders(1);
    reports.user(17);

    reports.forgetUser(1);

    assertThat(redis.exists("user:1", "user:1:orders")).isZero();
    assertThat(redis.exists("user:17")).isEqualTo(1);
  }

  @Test
  void keyRenderingAsARateLimitersKey_leavesTheLimiterAlone() {
    Quotes quotes = Quotes.create();
    for (int i = 0; i < 3; i++) {
      quotes.quote("mallory");
    }
    List<String> limiterKeys = redis.keys("weft:rl:*");
    assertThat(limiterKeys).hasSize(1);
    String limiter = limiterKeys.get(0);
    String state = redis.get(limiter);

    if (Mode.annotated()) {
      reports.raw(limiter);
    } else {
      assertThatThrownBy(() -> reports.raw(limiter))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("weft:");
    }

    assertThat(redis.get(limiter)).isEqualTo(state);
    assertThatThrownBy(() -> quotes.quote("mallory"))
        .isInstanceOf(RateLimitExceededException.class);
  }

  @Test
  void multiMegabyteArgument_givesABoundedKey_thatStillHits() {
    String huge = "x".repeat(3_000_000);

    Reports.Page first = reports.raw(huge);

    assertThat(reports.raw(huge)).isEqualTo(first);
    assertThat(reports.raw(huge + "y")).isNotEqualTo(first);
    List<String> keys = redis.keys("x*");
    assertThat(keys).hasSize(2);
    for (String key : keys) {
      assertThat(key.length()).isLessThanOrEqualTo(512);
      assertThat(key).startsWith("xxxxxxxx").contains("%#");
    }
  }

  @Test
  void argumentWithNoReadableState_failsAtTheFirstCall_namingTheParameter() {
    assumeTrue(Mode.annotated(), "a configuration error of an annotated method");

    assertThatThrownBy(() -> reports.search(new Everything()))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("search")
        .hasMessageContaining("key = \"search:{criteria}\"")
        .hasMessageContaining("parameter 'criteria'")
        .hasMessageContaining(Everything.class.getName())
        .hasMessageContaining("{criteria.id}");
    assertThat(reports.loads).hasValue(0);
    assertThat(redis.keys("search:*")).isEmpty();
  }
}
