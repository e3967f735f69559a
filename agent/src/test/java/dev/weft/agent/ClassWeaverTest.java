package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.agent.OddClassFiles.PlanLoad;
import dev.weft.annotation.WovenAnnotations;
import dev.weft.weaving.WovenByAgent;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ClassWeaver}, ByteBuddy, on bodies whose bytecode is easy to break ({@link Shapes}) and on
 * class files javac does not write ({@link OddClassFiles}): the class is woven in this JVM,
 * defined in a class loader of its own (the JVM verifies it there), and run against a real Redis.
 * Each method's second call must come from the cache, so the woven code, not only the original
 * body, is what runs.
 */
@Tag("redis")
@WeftRedis
class ClassWeaverTest {

  private static final ClassWeaver WEAVER = new ClassWeaver();

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
  void wovenMethods_carryTheAgentsMark_theOthersDoNot() {
    for (Method method : woven.getDeclaredMethods()) {
      boolean annotated = Arrays.stream(method.getDeclaredAnnotations())
          .anyMatch(a -> WovenAnnotations.binaryNames().contains(a.annotationType().getName()));
      assertThat(method.isAnnotationPresent(WovenByAgent.class)).as(method.toString())
          .isEqualTo(annotated);
    }
    assertThat(Shapes.class.getDeclaredMethods())
        .noneMatch(m -> m.isAnnotationPresent(WovenByAgent.class));
  }

  @Test
  void classFilesOfJava11AndLater_holdThePlanAsADynamicConstant() throws Exception {
    byte[] woven = weave(bytes(Shapes.class));

    assertThat(OddClassFiles.planLoads(woven)).containsExactly(PlanLoad.DYNAMIC_CONSTANT);
  }

  @Test
  void classFileOfJava8_holdsThePlanInAConstantCallSite_andWorksTheSame(@TempDir Path work)
      throws Exception {
    byte[] compiled = compileOldShapes(work, "8");
    assertThat(compiled[7]).as("major version 52, Java 8").isEqualTo((byte) 52);

    byte[] woven = weave(compiled);

    assertThat(OddClassFiles.planLoads(woven)).containsExactly(PlanLoad.CALL_SITE);
    assertOldShapesCache(define("example.old.OldShapes", woven));
  }

  @ParameterizedTest(name = "class file version {0}")
  @ValueSource(ints = {Opcodes.V1_5, Opcodes.V1_6})
  void classFileWithoutStackMapFrames_looksThePlanUpAtEveryCall_andWorksTheSame(
      int version, @TempDir Path work) throws Exception {
    byte[] old = OddClassFiles.withoutFrames(compileOldShapes(work, "8"), version);
    assertThat(OddClassFiles.hasFrames(old)).isFalse();

    byte[] woven = weave(old);

    assertThat(woven[7]).as("the class file's version is kept").isEqualTo((byte) version);
    assertThat(OddClassFiles.planLoads(woven)).containsExactly(PlanLoad.LOOK_UP_PER_CALL);
    assertOldShapesCache(define("example.old.OldShapes", woven));
  }

  /**
   * A return may leave values under the returned one on the operand stack: javac never writes
   * it, Kotlin, cglib, Javassist or JaCoCo may. ByteBuddy drains the stack before it jumps to the
   * exit, where the woven code's frame holds nothing else; the JVM verifies the class on
   * definition.
   */
  @Test
  void returnsThatLeaveValuesOnTheOperandStack_areWovenAndVerify() throws Exception {
    Class<?> type = define("example.odd.StackLeft", weave(OddClassFiles.stackLeft()));
    Object odd = type.getConstructor().newInstance();
    Method leftover = type.getMethod("leftover", String.class);
    Method wide = type.getMethod("wide", long.class);
    Method forget = type.getMethod("forget", String.class);

    assertThat(leftover.invoke(odd, "ab")).isEqualTo("ab!");
    assertThat(leftover.invoke(odd, "ab")).isEqualTo("ab!");
    assertThat(leftover.invoke(odd, "")).isEqualTo("empty");
    assertThat(leftover.invoke(odd, "")).isEqualTo("empty");
    assertThat(wide.invoke(odd, 41L)).isEqualTo(42L);
    assertThat(wide.invoke(odd, 41L)).isEqualTo(42L);
    assertThat(type.getField("calls").getInt(null)).isEqualTo(3);
    assertThat(redis.get("stack:ab")).isEqualTo("\"ab!\"");
    assertThat(redis.get("stack:wide:41")).isEqualTo("42");

    forget.invoke(odd, "ab");

    assertThat(redis.exists("stack:ab")).isZero();
    assertThat(type.getField("calls").getInt(null)).isEqualTo(4);
  }

  /**
   * A method just under the JVM's 64 KiB of code cannot take the woven code. The transformer
   * leaves the class as it is, with one warning that names it, and the class loads and runs, its
   * method unwoven.
   */
  @Test
  void classTheWeaverCannotWeave_loadsAndRunsUnwoven_withOneWarning() throws Exception {
    byte[] tooLarge = OddClassFiles.tooLarge();
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger agentLog = Logger.getLogger("dev.weft.agent");
    agentLog.addHandler(capture);
    byte[] transformed;
    try {
      transformed = transformer().transform(
          getClass().getClassLoader(), "example/odd/TooLarge", null, null, tooLarge);
    } finally {
      agentLog.removeHandler(capture);
    }

    assertThat(transformed).as("left as it is").isNull();
    assertThat(records).hasSize(1);
    assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
    assertThat(records.get(0).getMessage())
        .contains("example.odd.TooLarge").contains("runs without Weft's annotations");
    Class<?> type = define("example.odd.TooLarge", tooLarge);
    Method big = type.getMethod("big", String.class);
    assertThat(big.invoke(type.getConstructor().newInstance(), "x")).isEqualTo("x");
    assertThat(redis.exists("big:x")).as("unwoven: nothing cached").isZero();
  }

  @Test
  void classWithoutWeftAnnotations_isLeftUnchanged() throws Exception {
    assertThat(weave(bytes(ClassWeaverTest.class))).isNull();
  }

  @Test
  void transformer_leavesClassesWovenAlready_byAjcOrByItself() throws Exception {
    WeftTransformer transformer = transformer();
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

  @Test
  void transformer_waitsForTheWeaverBuiltInTheBackground_andWeaves() throws Exception {
    WeftTransformer transformer = new WeftTransformer(WeaverStartup.inBackground());

    byte[] woven = transformer.transform(
        getClass().getClassLoader(), "example/shapes/Shapes", null, null, bytes(Shapes.class));

    assertThat(woven).isNotNull();
    assertThat(OddClassFiles.planLoads(woven)).containsExactly(PlanLoad.DYNAMIC_CONSTANT);
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
    return define(type.getName(), weave(bytes(type)));
  }

  /** @return the class file woven as the agent weaves a class as it loads, or {@code null} */
  private static byte[] weave(byte[] classFile) {
    String name = new ClassReader(classFile).getClassName();
    return WEAVER.weave(ClassWeaverTest.class.getClassLoader(), name, null, null, classFile, null);
  }

  private static WeftTransformer transformer() {
    return new WeftTransformer(WeaverStartup.of(WEAVER));
  }

  /**
   * Compiles {@code example.old.OldShapes}: {@code @Cached(key = "old:{0}") String find(String)}.
   * Its key names the parameter by position: class files before Java 8 have no parameter names.
   */
  private static byte[] compileOldShapes(Path work, String release) throws IOException {
    Path source = work.resolve("example/old/OldShapes.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, String.join("\n",
        "package example.old;",
        "public class OldShapes {",
        "  public static int calls;",
        "  @dev.weft.annotation.Cached(key = \"old:{0}\", ttl = \"1m\")",
        "  public String find(String id) {",
        "    calls++;",
        "    return \"old \" + id;",
        "  }",
        "}"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "--release", release, "-proc:none",
        "-cp", System.getProperty("java.class.path"), "-d", work.toString(), source.toString());
    assertThat(status).as("javac --release " + release).isZero();
    return Files.readAllBytes(work.resolve("example/old/OldShapes.class"));
  }

  private static void assertOldShapesCache(Class<?> type) throws Exception {
    Object old = type.getConstructor().newInstance();
    Method find = type.getMethod("find", String.class);

    assertThat(find.invoke(old, "a")).isEqualTo("old a");
    assertThat(find.invoke(old, "a")).isEqualTo("old a");
    assertThat(type.getField("calls").getInt(null)).isEqualTo(1);
    assertThat(redis.get("old:a")).isEqualTo("\"old a\"");
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
