package dev.weft.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A plain Java application on a flat class path ({@code java -javaagent:weft-agent.jar -cp
 * flat-app.jar:lib/...}) that brings older Lettuce (6.3) and Jackson (2.15) and uses them itself,
 * and no logging library at all: it must run on its own versions, and Weft must print nothing
 * about logging.
 */
class FlatAppIT extends AppUnderAgentContract {

  /** @return the {@code java} launcher to start it with */
  String java() {
    return AppJvm.currentJava();
  }

  @Override
  AppJvm start(String redisUrl) throws Exception {
    Path target = Paths.get(AppJvm.existing("weft.it.flat.dir", "the flat example's target folder"));
    List<String> classPath = new ArrayList<>();
    classPath.add(target.resolve("flat-app.jar").toString());
    libraries().forEach(jar -> classPath.add(jar.toString()));
    return AppJvm.start(getClass().getSimpleName(), java(), redisUrl, List.of(
        AppJvm.QUICK_START,
        "-javaagent:" + AppJvm.agentJar(),
        "-cp", String.join(File.pathSeparator, classPath),
        "example.flat.FlatApp",
        "--redis=" + redisUrl),
        Pattern.compile("flat-app started on port "));
  }

  @Override
  AppLibraries shipped() throws IOException {
    return AppLibraries.of(libraries().stream().map(jar -> jar.getFileName().toString()).toList());
  }

  @Override
  void assertLogging(List<String> lines) {
    assertThat(lines).as("output of %s", app).anyMatch(line -> line.startsWith("flat-app started on port "));
  }

  private static List<Path> libraries() throws IOException {
    Path lib = Paths.get(AppJvm.existing("weft.it.flat.dir", "the flat example's target folder"), "lib");
    try (Stream<Path> jars = Files.list(lib)) {
      return jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().toList();
    }
  }
}
