package dev.weft.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.annotation.RateLimited;
import dev.weft.aspectj.WeftAspect;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import dev.weft.weaving.Woven;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;
import org.aspectj.bridge.IMessage;
import org.aspectj.bridge.MessageHandler;
import org.aspectj.lang.JoinPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;

/**
 * A bean whose class ajc wove with weft-aspectj's aspect, as a build with the AspectJ plugin does
 * (the class is compiled here, by ajc in this JVM): it gets no Weft proxy, and each call takes one
 * permit of its rate limit, not two.
 */
@WeftRedis
class WovenBeanTest {

  private static final String SOURCE = """
      package example.woven;

      import dev.weft.annotation.RateLimited;
      import java.util.function.Function;

      public class WovenQuotes implements Function<String, String> {
        @RateLimited(key = "woven:{user}", permits = 3, window = "1m")
        public String quote(String user) {
          return "quote for " + user;
        }

        @Override
        public String apply(String user) {
          return quote(user);
        }
      }
      """;

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Test
  void beanOfAClassWovenByAjc_isNotProxied_andEachCallTakesOnePermit(
      RedisServer server, @TempDir Path work) throws Exception {
    URLClassLoader loader = compileWithAjc(work);
    Class<?> woven = loader.loadClass("example.woven.WovenQuotes");
    Method quote = woven.getMethod("quote", String.class);
    assertThat(WovenMethods.annotated(quote)).isTrue();
    assertThat(WovenMethods.woven(quote)).as("ajc's sign on the class").isTrue();

    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties(
            "spring.data.redis.host=" + server.host(), "spring.data.redis.port=" + server.port())
        .initializers(c -> ((GenericApplicationContext) c).registerBean("quotes", woven))
        .run();
        loader) {
      @SuppressWarnings("unchecked")
      Function<String, String> quotes = (Function<String, String>) context.getBean("quotes");

      assertThat(AopUtils.isAopProxy(quotes)).isFalse();
      for (int i = 0; i < 3; i++) {
        assertThat(quotes.apply("ann")).as("call %d of 3 permits", i + 1).isEqualTo("quote for ann");
      }
      assertThatThrownBy(() -> quotes.apply("ann")).isInstanceOf(RateLimitExceededException.class);
    }
  }

  static class Unwoven {
    @RateLimited(key = "plain:{user}", permits = 3, window = "1m")
    public String quote(String user) {
      return user;
    }
  }

  @Test
  void methodCompiledByJavac_isAnnotatedButNotWoven() throws Exception {
    Method quote = Unwoven.class.getMethod("quote", String.class);

    assertThat(WovenMethods.annotated(quote)).isTrue();
    assertThat(WovenMethods.woven(quote)).isFalse();
  }

  private static URLClassLoader compileWithAjc(Path work) throws Exception {
    Path source = work.resolve("src/example/woven/WovenQuotes.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, SOURCE);
    Path classes = Files.createDirectories(work.resolve("classes"));
    String classPath = String.join(File.pathSeparator,
        Stream.of(RateLimited.class, Woven.class, WeftAspect.class, JoinPoint.class)
            .map(WovenBeanTest::location).distinct().toList());
    MessageHandler messages = new MessageHandler();
    new org.aspectj.tools.ajc.Main().run(new String[] {
        "-17", "-parameters", "-proc:none", "-d", classes.toString(),
        "-classpath", classPath,
        "-aspectpath", location(WeftAspect.class),
        source.toString()}, messages);
    assertThat(messages.getMessages(IMessage.ERROR, true)).as("ajc's errors").isEmpty();
    return new URLClassLoader(
        new URL[] {classes.toUri().toURL()}, WovenBeanTest.class.getClassLoader());
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
