package dev.weft.aspectj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.aspectj.ratelimit.Quotes;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.spring.aop.WeftAdvisor;
import dev.weft.spring.aop.WovenMethods;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;

/**
 * The Spring Boot starter's proxy mode leaves a woven class alone: run in weft-agent's JVMs that
 * weave the suite (the agent, on JDK 17 and 25, and AspectJ load-time weaving), where {@link
 * Quotes} is woven, it finds the weaver's sign on its methods, its advisor does not apply, and a
 * call takes one permit of the method's limit, not two. ajc's compile-time weaving is the
 * starter's own {@code WovenBeanTest}.
 */
class WovenFixturesAreNotProxiedTest extends WovenRedisTest {

  @Test
  void wovenFixture_getsNoAdvisor_andEachCallTakesOnePermit() throws Exception {
    Method quote = Quotes.class.getMethod("quote", String.class);
    assertThat(WovenMethods.woven(quote)).as("the weaver's sign on " + quote).isTrue();
    assertThat(AopUtils.canApply(new WeftAdvisor(), Quotes.class)).isFalse();

    Quotes quotes = (Quotes) SpringProxies.proxy(new Quotes());

    assertThat(AopUtils.isAopProxy(quotes)).isFalse();
    for (int i = 0; i < 3; i++) {
      assertThat(quotes.quote("bean")).as("call %d of 3 permits", i + 1).isEqualTo("quote for bean");
    }
    assertThatThrownBy(() -> quotes.quote("bean")).isInstanceOf(RateLimitExceededException.class);
  }
}
