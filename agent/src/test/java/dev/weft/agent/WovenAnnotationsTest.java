package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.Cached;
import dev.weft.annotation.StreamListener;
import dev.weft.annotation.Subscribe;
import dev.weft.annotation.WovenAnnotations;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The list of woven annotations that the agent (and the processor) read holds every method
 * annotation of weft-annotations except the listeners, which are found by reflection: a new
 * annotation missing from it would silently do nothing under the agent.
 */
class WovenAnnotationsTest {

  private static final Set<Class<?>> FOUND_BY_REFLECTION = Set.of(Subscribe.class, StreamListener.class);

  @Test
  void wovenAnnotations_areEveryMethodAnnotationButTheListeners() throws Exception {
    Path jar = Path.of(Cached.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> expected;
    try (FileSystem zip = Files.isDirectory(jar) ? null
            : FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of());
        Stream<Path> files = Files.walk(zip == null ? jar : zip.getPath("/"))) {
      expected = files
          .map(p -> (zip == null ? jar.relativize(p) : zip.getPath("/").relativize(p)).toString())
          .filter(name -> name.startsWith("dev/weft/annotation/") && name.endsWith(".class"))
          .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
          .map(WovenAnnotationsTest::load)
          .filter(Class::isAnnotation)
          .filter(type -> !FOUND_BY_REFLECTION.contains(type))
          .map(type -> "L" + type.getName().replace('.', '/') + ";")
          .collect(Collectors.toSet());
    }

    assertThat(expected).contains("Ldev/weft/annotation/Cached;", "Ldev/weft/annotation/Counted$List;");
    assertThat(Set.copyOf(WovenAnnotations.descriptors())).isEqualTo(expected);
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, WovenAnnotationsTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
