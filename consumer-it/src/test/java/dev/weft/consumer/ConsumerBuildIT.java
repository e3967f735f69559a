package dev.weft.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * A user's project set up as the README says, built by Maven as the user builds it: its pom.xml is
 * a bare project (src/it/ctw-consumer/pom.template.xml) completed with the README's compile-time
 * weaving snippet, read from README.md at each run, so the README and this test cannot drift
 * apart. Each test builds its own copy under target/consumer/ with {@code mvn package}, never
 * {@code mvn clean}.
 *
 * <p>A class is woven when ajc has compiled it with Weft's aspect: its constant pool then names
 * {@code dev/weft/aspectj/WeftAspect}, which javac's class never does. The first test also runs the
 * project's {@code Main} against the harness's Redis and sees the cache at work: two calls for one
 * price, one call to the source. The Spring Boot test builds an application with
 * spring-boot-starter-parent as its parent, set up as the README's section on Spring Boot says,
 * and starts its fat jar with {@code java -jar}.
 *
 * <p>Each test takes 5 to 15 s of Maven on an idle machine; the first build of a fresh checkout
 * also copies the plugins and libraries from the user's local repository (or downloads what is
 * not there yet, such as Maven's default plugins of the jar lifecycle).
 */
@WeftRedis
class ConsumerBuildIT {

  private static final String ASPECT = "dev/weft/aspectj/WeftAspect";

  @Test
  void weavesOnTheFirstBuildAndAgainAfterOneSourceFileChanges(RedisServer redis) throws Exception {
    String snippet = ConsumerProject.readmeSnippet("ctw");
    assertThat(snippet)
        .as("the README names the version this build makes")
        .contains("<weft.version>" + System.getProperty("weft.version") + "</weft.version>");
    ConsumerProject project =
        ConsumerProject.create("ctw-consumer", "first-and-incremental", snippet);

    ConsumerProject.Build first = project.mvnPackage();
    assertThat(first.exitCode()).as("%s", first).isZero();
    assertWoven(project, first);
    assertThat(project.runMain(redis.url()))
        .contains("prices: 1999 1999")
        .contains("source calls: 1");
    assertThat(storedPrices(redis)).isEqualTo(1);

    redis.flushAll();
    project.edit("com/example/shop/PriceService.java", "return 1999;", "return 2499;");
    ConsumerProject.Build second = project.mvnPackage();
    assertThat(second.exitCode()).as("%s", second).isZero();
    assertWoven(project, second);
    assertThat(project.runMain(redis.url()))
        .as("the changed source was compiled, and woven")
        .contains("prices: 2499 2499")
        .contains("source calls: 1");
  }

  @Test
  void theChecksSnippetIsTheCompilerPluginOfTheWeavingSnippet() throws Exception {
    String checks =
        ConsumerProject.readmeSnippet("checks")
            .replace(
                "<version>" + System.getProperty("weft.version") + "</version>",
                "<version>${weft.version}</version>");

    assertThat(oneLine(ConsumerProject.readmeSnippet("ctw"))).contains(oneLine(checks));
  }

  @Test
  void theBomSnippetIsTheDependencyManagementOfTheWeavingSnippet() throws Exception {
    assertThat(oneLine(ConsumerProject.readmeSnippet("ctw")))
        .contains(oneLine(ConsumerProject.readmeSnippet("bom")));
  }

  /**
   * The build a user runs after adding the aspectjtools override to a pom that lacked it. javac's
   * classes of the failed build are up to date, and without {@code forceAjcCompile} the plugin,
   * whose argument file the failed run wrote, finds nothing changed and skips ajc: BUILD SUCCESS,
   * nothing woven.
   */
  @Test
  void weavesInTheBuildAfterOneWhoseAjcStepFailed() throws Exception {
    String snippet = ConsumerProject.readmeSnippet("ctw");
    String withoutToolsOverride =
        snippet.replaceAll(
            "(?s)\\s*<dependencies>\\s*<dependency>\\s*<groupId>org\\.aspectj</groupId>"
                + "\\s*<artifactId>aspectjtools</artifactId>.*?</dependencies>",
            "");
    assertThat(withoutToolsOverride).as("the snippet overrides aspectjtools").isNotEqualTo(snippet);
    ConsumerProject project =
        ConsumerProject.create("ctw-consumer", "after-failed-ajc", withoutToolsOverride);

    ConsumerProject.Build failed = project.mvnPackage();
    assertThat(failed.exitCode()).as("%s", failed).isNotZero();
    assertThat(failed.output())
        .as("the plugin's own ajc 1.9.7 does not know Java 17")
        .contains("unrecognized single argument: \"-17\"");

    project.writePom(snippet);
    ConsumerProject.Build fixed = project.mvnPackage();
    assertThat(fixed.exitCode()).as("%s", fixed).isZero();
    assertWoven(project, fixed);
  }

  @Test
  void failsAtAWrongKeyTemplateWithTheProcessorsMessage() throws Exception {
    ConsumerProject project =
        ConsumerProject.create("ctw-consumer", "wrong-key", ConsumerProject.readmeSnippet("ctw"));
    project.edit("com/example/shop/PriceService.java", "\"price:{sku}\"", "\"price:{skuu}\"");

    ConsumerProject.Build build = project.mvnPackage();

    assertThat(build.exitCode()).as("%s", build).isNotZero();
    assertThat(build.output())
        .as("%s", build)
        .contains("PriceService.java")
        .contains("no parameter named 'skuu'")
        .contains("Did you mean 'sku'?");
  }

  @Test
  void weavesASpringBootApplicationThatStartsFromItsFatJar(RedisServer redis) throws Exception {
    String snippet = ConsumerProject.readmeSnippet("ctw");
    String withoutAspectjVersion =
        snippet.replaceAll("\\s*<aspectj\\.version>[^<]*</aspectj\\.version>", "");
    assertThat(withoutAspectjVersion).as("the snippet sets aspectj.version").isNotEqualTo(snippet);
    String bootSnippet =
        withoutAspectjVersion
            .replaceFirst(
                "(?m)^<dependencies>",
                "<dependencies>\n  <dependency>\n    <groupId>org.springframework.boot</groupId>"
                    + "\n    <artifactId>spring-boot-starter</artifactId>\n  </dependency>")
            .replace("</plugins>", ConsumerProject.readmeSnippet("spring-boot") + "</plugins>");
    ConsumerProject project =
        ConsumerProject.create("spring-boot-consumer", "spring-boot", bootSnippet);

    ConsumerProject.Build build = project.mvnPackage();

    assertThat(build.exitCode()).as("%s", build).isZero();
    try (ZipFile jar = new ZipFile(project.file("target/shop-1.0.jar").toFile())) {
      ZipEntry woven = jar.getEntry("BOOT-INF/classes/com/example/shop/PriceService.class");
      String classFile =
          new String(jar.getInputStream(woven).readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(classFile.contains(ASPECT)).as("the fat jar's PriceService is woven").isTrue();
      ZipEntry list = jar.getEntry("META-INF/weft/woven-classes");
      assertThat(list).as("weft-processor's list, where Spring Boot puts META-INF").isNotNull();
      assertThat(new String(jar.getInputStream(list).readAllBytes(), StandardCharsets.UTF_8))
          .contains(ConsumerProject.WOVEN_CLASS);
      assertThat(jar.stream().map(ZipEntry::getName))
          .as("ajc's argument file stays out of the jar")
          .noneMatch(name -> name.endsWith("builddef.lst"));
    }
    assertThat(project.runJar("shop-1.0.jar", redis.url()))
        .contains("prices: 1999 1999")
        .contains("source calls: 1")
        .as("ajc's classes keep -parameters names")
        .contains("parameter name: sku")
        .endsWith("(exit 0)");
  }

  private static void assertWoven(ConsumerProject project, ConsumerProject.Build build)
      throws Exception {
    String classFile =
        new String(project.classFile(ConsumerProject.WOVEN_CLASS), StandardCharsets.ISO_8859_1);
    assertThat(classFile.contains(ASPECT))
        .as("%s is woven by ajc (names %s); %s", ConsumerProject.WOVEN_CLASS, ASPECT, build)
        .isTrue();
    assertThat(project.wovenClassesList())
        .as("weft-processor's list of woven classes")
        .contains(ConsumerProject.WOVEN_CLASS);
    assertThat(project.file("target/classes/builddef.lst"))
        .as("ajc's argument file stays out of the classes")
        .doesNotExist();
  }

  private static String oneLine(String xml) {
    return xml.replaceAll("\\s+", " ").trim();
  }

  private static long storedPrices(RedisServer redis) {
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().keys("*price:kb-01*").size();
    } finally {
      client.shutdown();
    }
  }
}
