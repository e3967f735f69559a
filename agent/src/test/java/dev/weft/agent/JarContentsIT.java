package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The agent jar goes on the application's system class path, so everything in it that keeps its
 * original name is something the application sees. Only Weft's own classes ({@code dev/weft/}:
 * the public API, the weaving entry points, the agent, and the relocated libraries under {@code
 * dev/weft/agent/shaded/}) and Jackson's annotations may; every other library is relocated, and
 * build metadata that names the originals is left out.
 */
class JarContentsIT {

  /** Multi-release variants of classes, under their own version's folder. */
  private static final Pattern VERSIONED = Pattern.compile("META-INF/versions/\\d+/(.*)");

  /** Licence and notice texts of the bundled libraries: read by people, never loaded. */
  private static final Pattern LEGAL =
      Pattern.compile(
          "(META-INF/)?[A-Za-z-]*(LICENSE|NOTICE|COPYRIGHT)[A-Za-z-]*(\\.txt)?|META-INF/licenses/[A-Za-z-]+");

  @Test
  void everyEntry_isWeftsOwn_orJacksonsAnnotations_orMetadata() throws IOException {
    List<String> leaked = new ArrayList<>();
    try (JarFile jar = new JarFile(AgentJvm.agentJar())) {
      for (ZipEntry entry : jar.stream().toList()) {
        String name = entry.getName();
        if (!entry.isDirectory() && !allowed(name)) {
          leaked.add(name);
        }
      }
    }
    assertThat(leaked).as("entries under a name the application would see").isEmpty();
  }

  @Test
  void serviceFiles_nameAndListOnlyWeftsClasses() throws IOException {
    List<String> services = new ArrayList<>();
    try (JarFile jar = new JarFile(AgentJvm.agentJar())) {
      for (ZipEntry entry : jar.stream().toList()) {
        String name = entry.getName();
        if (entry.isDirectory() || !name.startsWith("META-INF/services/")) {
          continue;
        }
        services.add(name);
        assertThat(name).startsWith("META-INF/services/dev.weft.");
        try (InputStream in = jar.getInputStream(entry)) {
          String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R");
          for (String line : lines) {
            String provider = line.replaceAll("#.*", "").strip();
            if (!provider.isEmpty()) {
              assertThat(provider).as("a provider listed in %s", name).startsWith("dev.weft.");
            }
          }
        }
      }
    }
    assertThat(services)
        .as("the relocated SLF4J finds Weft's provider")
        .contains("META-INF/services/dev.weft.agent.shaded.org.slf4j.spi.SLF4JServiceProvider");
  }

  @Test
  void relocatedLibraries_andJacksonAnnotations_areThere() throws IOException {
    try (JarFile jar = new JarFile(AgentJvm.agentJar())) {
      for (String name : List.of(
          "dev/weft/agent/shaded/io/lettuce/core/RedisClient.class",
          "dev/weft/agent/shaded/io/netty/channel/Channel.class",
          "dev/weft/agent/shaded/com/fasterxml/jackson/databind/ObjectMapper.class",
          "dev/weft/agent/shaded/org/slf4j/LoggerFactory.class",
          "dev/weft/agent/shaded/reactor/core/publisher/Mono.class",
          "com/fasterxml/jackson/annotation/JsonProperty.class",
          "dev/weft/weaving/Woven.class",
          "dev/weft/syntax/TemplateSyntax.class",
          "dev/weft/Weft.class")) {
        assertThat(jar.getEntry(name)).as(name).isNotNull();
      }
      Manifest manifest = jar.getManifest();
      assertThat(manifest.getMainAttributes().getValue("Implementation-Version")).isNotBlank();
      assertThat(manifest.getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
    }
  }

  private static boolean allowed(String name) {
    var versioned = VERSIONED.matcher(name);
    String path = versioned.matches() ? versioned.group(1) : name;
    return path.startsWith("dev/weft/")
        || path.startsWith("com/fasterxml/jackson/annotation/")
        || name.equals("META-INF/MANIFEST.MF")
        || name.equals("META-INF/weft/woven-classes")
        || name.startsWith("META-INF/services/") // checked by serviceFiles_...
        || LEGAL.matcher(name).matches();
  }
}
