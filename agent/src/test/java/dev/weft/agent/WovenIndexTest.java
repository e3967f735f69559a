package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index lookup for the code-source locations that {@link WovenIndexIT}'s applications do not
 * have: folders inside a jar (a Spring Boot application's {@code BOOT-INF/classes}), locations
 * that are not files, files that are not jars. {@link WovenIndexIT} shows the user's view: which
 * methods end up woven.
 */
class WovenIndexTest {

  private static final String INDEX = "# weft-woven-classes 1\ncom.acme.Listed\n";

  @TempDir Path work;

  private final WovenIndex index = new WovenIndex();

  @Test
  void folderInsideAJar_isReadThroughItsJarUrl() throws IOException {
    Path jar = work.resolve("app.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("BOOT-INF/classes/META-INF/weft/woven-classes"));
      out.write(INDEX.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    ProtectionDomain classes = domain(new URL("jar:" + jar.toUri() + "!/BOOT-INF/classes/"));
    ProtectionDomain root = domain(new URL("jar:" + jar.toUri() + "!/"));

    assertThat(index.skips("com.acme.Listed", classes)).isFalse();
    assertThat(index.skips("com.acme.Other", classes)).isTrue();
    assertThat(index.skips("com.acme.Other", root)).as("no index at the jar's root").isFalse();
  }

  @Test
  void folderWithAnEmptyIndex_skipsEveryClass_butLocalAndAnonymousOnes() throws IOException {
    Path classes = Files.createDirectories(work.resolve("classes/META-INF/weft"));
    Files.writeString(classes.resolve("woven-classes"), "# weft-woven-classes 1\n");
    ProtectionDomain domain = domain(work.resolve("classes").toUri().toURL());

    assertThat(index.skips("com.acme.Any", domain)).isTrue();
    assertThat(index.skips("com.acme.Any$Nested", domain)).isTrue();
    assertThat(index.skips("com.acme.Any$1", domain)).isFalse();
    assertThat(index.skips("com.acme.Any$Nested$2Local", domain)).isFalse();
  }

  /** A jar merged from others with their lists appended, as the README advises, lists them all. */
  @Test
  void appendedLists_areReadAsOne() throws IOException {
    Path classes = Files.createDirectories(work.resolve("merged/META-INF/weft"));
    Files.writeString(
        classes.resolve("woven-classes"),
        INDEX + "# weft-woven-classes 1\n# from the second jar\ncom.acme.Other\n");
    ProtectionDomain domain = domain(work.resolve("merged").toUri().toURL());

    assertThat(index.skips("com.acme.Listed", domain)).isFalse();
    assertThat(index.skips("com.acme.Other", domain)).isFalse();
    assertThat(index.skips("com.acme.Third", domain)).isTrue();
  }

  @Test
  void noUsableIndex_letsEveryClassThroughToAnnotationMatching() throws IOException {
    Path notAJar = Files.writeString(work.resolve("broken.jar"), "not a zip");

    assertThat(index.skips("com.acme.Any", null)).as("no protection domain").isFalse();
    assertThat(index.skips("com.acme.Any", new ProtectionDomain(null, null)))
        .as("no code source")
        .isFalse();
    assertThat(index.skips("com.acme.Any", domain(new URL("http://example.invalid/app.jar"))))
        .as("never opened: not a file")
        .isFalse();
    assertThat(index.skips("com.acme.Any", domain(notAJar.toUri().toURL())))
        .as("unreadable: logged once, then matching")
        .isFalse();
    assertThat(index.skips("com.acme.Any", domain(work.resolve("missing/").toUri().toURL())))
        .isFalse();
  }

  @Test
  void localAndAnonymousNames_haveADollarFollowedByADigit() {
    assertThat(WovenIndex.isLocalOrAnonymous("a.B$1")).isTrue();
    assertThat(WovenIndex.isLocalOrAnonymous("a.B$1Local")).isTrue();
    assertThat(WovenIndex.isLocalOrAnonymous("a.B$C$2")).isTrue();
    assertThat(WovenIndex.isLocalOrAnonymous("a.B$1$Inner")).isTrue();
    assertThat(WovenIndex.isLocalOrAnonymous("a.B$C")).isFalse();
    assertThat(WovenIndex.isLocalOrAnonymous("a.B")).isFalse();
    assertThat(WovenIndex.isLocalOrAnonymous("a.B$")).isFalse();
  }

  private static ProtectionDomain domain(URL location) {
    return new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null);
  }
}
