package dev.weft.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.Await;
import java.io.IOException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * A Spring Boot fat jar under the agent, started as its users start it: {@code java
 * -javaagent:weft-agent.jar -jar app.jar}. Beyond what every application must do, it logs through
 * Logback in Boot's own format, Weft's log lines included, and its jar carries the woven-classes
 * list that weft-processor wrote.
 */
abstract class SpringBootAppContract extends AppUnderAgentContract {

  /** The start of a line in Boot's default console format: time, level, pid, thread, logger. */
  static final String BOOT_LINE =
      "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})\\s+"
          + "(TRACE|DEBUG|INFO|WARN|ERROR)\\s+\\d+ --- (\\[[^\\]]*\\] )*\\S+\\s*: ";

  /** @return the fat jar's path */
  abstract String jar();

  /** @return the {@code java} launcher to start it with */
  String java() {
    return AppJvm.currentJava();
  }

  @Override
  AppJvm start(String redisUrl) throws Exception {
    String jar = jar();
    return AppJvm.start(getClass().getSimpleName(), java(), redisUrl, List.of(
        AppJvm.QUICK_START,
        "-javaagent:" + AppJvm.agentJar(),
        "-jar", jar,
        "--server.port=0",
        "--spring.data.redis.url=" + redisUrl),
        Pattern.compile("Started BootApp in "));
  }

  @Override
  AppLibraries shipped() throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar())) {
      zip.stream().map(ZipEntry::getName).filter(name -> name.startsWith("BOOT-INF/lib/"))
          .forEach(name -> names.add(Paths.get(name).getFileName().toString()));
    }
    return AppLibraries.of(names);
  }

  @Override
  void assertLogging(List<String> lines) {
    assertThat(lines).as("output of %s", app)
        .noneMatch(line -> line.contains("LoggerFactory is not a Logback LoggerContext"))
        .anyMatch(line -> line.matches(BOOT_LINE + "Started BootApp in .*"));
  }

  @Test
  void applicationsLogLines_goThroughLogback() throws Exception {
    json(app.get("/items/logged-1"), 200);

    awaitLine("the application's log line, in Boot's format",
        BOOT_LINE + "Loading item logged-1 from its source.*");
  }

  @Test
  void weftsLogLines_goThroughTheApplicationsLogback() throws Exception {
    json(app.get("/items/weft-log-1"), 200);

    awaitLine("Weft's line on connecting to Redis, in Boot's format",
        BOOT_LINE + "Weft connected to Redis at .*");
  }

  @Test
  void fatJar_carriesTheWovenClassesList() throws IOException {
    try (ZipFile zip = new ZipFile(jar())) {
      // spring-boot-maven-plugin keeps META-INF/ of the application's classes at the jar's root
      // (only META-INF/services, aop.xml and Kotlin module files go to BOOT-INF/classes).
      ZipEntry list = zip.getEntry("META-INF/weft/woven-classes");
      assertThat(list).as("META-INF/weft/woven-classes in %s", jar()).isNotNull();
      String text = new String(zip.getInputStream(list).readAllBytes());
      assertThat(text.lines()).contains(
          "example.boot.Items", "example.boot.Greetings", "example.boot.Jobs");
    }
  }

  private void awaitLine(String what, String regex) {
    Pattern pattern = Pattern.compile(regex);
    Await.until(Duration.ofSeconds(10), () -> what + " (/" + regex + "/) in " + app,
        () -> {
          try {
            return app.lines().stream().anyMatch(line -> pattern.matcher(line).matches());
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
  }
}
