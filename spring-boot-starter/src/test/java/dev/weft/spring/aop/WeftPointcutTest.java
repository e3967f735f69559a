package dev.weft.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.Cached;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;

/** Which beans the starter's advisor applies to, without a context or Redis. */
class WeftPointcutTest {

  static class OnlyUnreachable {
    @Cached(key = "s:{0}", ttl = "1m")
    static String statik(String id) {
      return id;
    }

    @Cached(key = "p:{0}", ttl = "1m")
    private String hidden(String id) {
      return id;
    }

    String caller(String id) {
      return hidden(id) + statik(id);
    }
  }

  static class Plain {
    public String find(String id) {
      return id;
    }
  }

  static class Annotated extends Plain {
    @Cached(key = "a:{0}", ttl = "1m")
    String packagePrivate(String id) {
      return id;
    }
  }

  @Test
  void staticAndPrivateMethods_getNoAdvisor_andAWarningNamesEach() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    boolean applies;
    try {
      applies = AopUtils.canApply(new WeftAdvisor(), OnlyUnreachable.class);
    } finally {
      System.setErr(err);
    }

    assertThat(applies).isFalse();
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("OnlyUnreachable.statik(java.lang.String) do nothing", "a static method")
        .contains("OnlyUnreachable.hidden(java.lang.String) do nothing", "a private method");
  }

  @Test
  void classWithoutWeftAnnotations_getsNoAdvisor_oneWithAPackagePrivateOne_does() {
    assertThat(AopUtils.canApply(new WeftAdvisor(), Plain.class)).isFalse();
    assertThat(AopUtils.canApply(new WeftAdvisor(), Annotated.class)).isTrue();
  }
}
