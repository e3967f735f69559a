package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import example.shapes.AlreadyWoven;
import example.shapes.Shapes;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClassWeaver} on bodies whose bytecode is easy to break ({@link Shapes}): the class is
 * woven in this JVM, defined in a class loader of its own (the JVM verifies it there), and run
 * against a real Redis. Each method's second call must come from the cache, so the woven code, not
 * only the original body, is what runs.
 */
@Tag("redis")
@WeftRedis
class ClassWeaverTest {

  private static Weft weft;
  private static Weft previous;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;
  private static RedisCommands<String, String> redis;

  private Class<?> woven;
  private Object shapes;
  private AtomicInteger calls;

  @BeforeAll
  static void start(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    previous = Weft.install(weft);
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterAll
  static void stop() {
    if (previous != null) {
      Weft.install(previous);
    }
    weft.close();
    connection.close();
    client.shutdown();
  }

  @BeforeEach
  void weave() throws Exception {
    redis.flushall();
    woven = define(Shapes.class);
    shapes = woven.getConstructor().newInstance();
    calls = (AtomicInteger) woven.getField("calls").get(null);
  }

  @Test
  void wideAndNarrowPrimitives_reachTheKeyAndTheBody() throws Exception {
    Object[] args = {5L, 2.5d, 3, "abcd", true, 'x', (short) 7, (byte) 9};

    Object first = call("wide", args);
    Object second = call("wide", args);

    assertThat(first).isEqualTo(5L + 2 + 3 + 4 + 1 + 'x' + 7 + 9).isEqualTo(second);
    assertThat(calls).hasValue(1);
    assertThat(redis.exists("shapes:wide:5:2.5:3:abcd:true:x:7:9")).isEqualTo(1);
  }

  @Test
  void staticMethod_withWideParameters() throws Exception {
    assertThat(call("staticWide", 1.5d, 4L)).isEqualTo(6.0d);
    assertThat(call("staticWide", 1.5d, 4L)).isEqualTo(6.0d);
    assertThat(calls).hasValue(1);
  }

  @Test
  void theBodysOwnHandler_catchesItsExceptionFirst() throws Exception {
    assertThat(call("guarded", "x1")).isEqualTo("caught:x1");
    assertThat(call("guarded", "x1")).isEqualTo("caught:x1");
    assertThat(call("guarded", "a1")).isEqualTo("ok:a1");
    assertThat(calls).hasValue(2);
  }

  @Test
  void loopAtTheFirstInstruction() throws Exception {
    assertThat(call("loop", 35)).isEqualTo(5);
    assertThat(call("loop", 35)).isEqualTo(5);
    assertThat(calls).as("three turns of the loop, once").hasValue(3);
  }

  @Test
  void severalReturns_eachReachTheCache() throws Exception {
    assertThat(call("pick", 0)).isEqualTo('a');
    assertThat(call("pick", 7)).isEqualTo('h');
    assertThat(call("pick", 3)).isEqualTo('?');
    assertThat(call("pick", 7)).isEqualTo('h');
    assertThat(calls).hasValue(3);
    assertThat(redis.get("shapes:switch:7")).isEqualTo("\"h\"");
  }

  @Test
  void lambdaAndSynchronized() throws Exception {
    assertThat(call("lambda", "q")).isEqualTo("λq");
    assertThat(call("lambda", "q")).isEqualTo("λq");
    assertThat(call("flag", "ab")).isEqualTo(true);
    assertThat(call("flag", "ab")).isEqualTo(true);
    assertThat(calls).hasValue(2);
  }

  @Test
  void checkedException_reachesTheCallerUnchanged_andNothingIsCached() throws Exception {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> call("failing", "f"))
          .isInstanceOf(IOException.class)
          .hasMessage("source down for f");
    }
    assertThat(calls).hasValue(2);
    assertThat(redis.exists("shapes:failing:f")).isZero();
  }

  @Test
  void voidMethod_runsItsStepsAfterEveryReturn() throws Exception {
    call("guarded", "g");
    assertThat(redis.exists("shapes:guarded:g")).isEqualTo(1);

    call("forget", "g");

    assertThat(redis.exists("shapes:guarded:g")).isZero();
    assertThat(calls).hasValue(1 + 2);
  }

  @Test
  void wovenClass_keepsItsShape_soALoadedClassCanBeRetransformed() throws Exception {
    assertThat(woven.getDeclaredMethods()).hasSameSizeAs(Shapes.class.getDeclaredMethods());
    assertThat(woven.getDeclaredFields()).hasSameSizeAs(Shapes.class.getDeclaredFields());
  }

  @Test
  void classFilesOfJava11AndLater_holdThePlanAsADynamicConstant() throws Exception {
    byte[] woven = ClassWeaver.weave(bytes(Shapes.class));

    assertThat(WeftTransformer.contains(woven, "weftPlan".getBytes(StandardCharsets.US_ASCII)))
        .isTrue();
  }

  @Test
  void classFileOfJava8_looksThePlanUpAtEveryCall_andWorksTheSame(@TempDir Path work)
      throws Exception {
    Path source = work.resolve("example/old/OldShapes.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, String.join("\n",
        "package example.old;",
        "public class OldShapes {",
        "  public static int calls;",
        "  @dev.weft.annotation.Cached(key = \"old:{id}\", ttl = \"1m\")",
        "  public String find(String id) {",
        "    calls++;",
        "    return \"old \" + id;",
        "  }",
        "}"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "--release", "8", "-parameters", "-proc:none",
        "-cp", System.getProperty("java.class.path"), "-d", work.toString(), source.toString());
    assertThat(status).as("javac --release 8").isZero();
    byte[] compiled = Files.readAllBytes(work.resolve("example/old/OldShapes.class"));
    assertThat(compiled[7]).as("major version 52, Java 8").isEqualTo((byte) 52);

    byte[] woven = ClassWeaver.weave(compiled);
    Class<?> type = define("example.old.OldShapes", woven);
    Object old = type.getConstructor().newInstance();
    Method find = type.getMethod("find", String.class);

    assertThat(WeftTransformer.contains(woven, "weftPlan".getBytes(StandardCharsets.US_ASCII)))
        .isFalse();
    assertThat(find.invoke(old, "a")).isEqualTo("old a");
    assertThat(find.invoke(old, "a")).isEqualTo("old a");
    assertThat(type.getField("calls").getInt(null)).isEqualTo(1);
    assertThat(redis.get("old:a")).isEqualTo("\"old a\"");
  }

  @Test
  void classWithoutWeftAnnotations_isLeftUnchanged() throws Exception {
    assertThat(ClassWeaver.weave(bytes(ClassWeaverTest.class))).isNull();
  }

  @Test
  void transformer_leavesClassesWovenAlready_byAjcOrByItself() throws Exception {
    WeftTransformer transformer = new WeftTransformer();
    ClassLoader loader = getClass().getClassLoader();
    byte[] plain = bytes(Shapes.class);
    byte[] once = transformer.transform(loader, "example/shapes/Shapes", null, null, plain);

    assertThat(once).isNotNull();
    assertThat(transformer.transform(loader, "example/shapes/Shapes", null, null, once)).isNull();
    assertThat(transformer.transform(
            loader, "example/shapes/AlreadyWoven", null, null, bytes(AlreadyWoven.class)))
        .isNull();
    assertThat(transformer.transform(null, "example/shapes/Shapes", null, null, plain)).isNull();
    assertThat(transformer.transform(
            ClassLoader.getPlatformClassLoader(), "example/shapes/Shapes", null, null, plain))
        .isNull();
  }

  private Object call(String name, Object... args) throws Exception {
    for (Method m : woven.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        try {
          return m.invoke(java.lang.reflect.Modifier.isStatic(m.getModifiers()) ? null : shapes, args);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          throw e;
        }
      }
    }
    throw new NoSuchMethodException(name);
  }

  /** Weaves {@code type} and defines it in a loader of its own (see below). */
  private static Class<?> define(Class<?> type) throws IOException {
    return define(type.getName(), ClassWeaver.weave(bytes(type)));
  }

  /** Defines a woven class in a loader of its own, which verifies it; everything else is shared. */
  private static Class<?> define(String name, byte[] woven) {
    assertThat(woven).as("woven " + name).isNotNull();
    return new ClassLoader(ClassWeaverTest.class.getClassLoader()) {
      Class<?> load() {
        return defineClass(name, woven, 0, woven.length);
      }
    }.load();
  }

  private static byte[] bytes(Class<?> type) throws IOException {
    String resource = type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }
}
