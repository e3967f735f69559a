package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
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

  /**
   * A Spring Boot fat jar, as its launcher names its class path: {@code BOOT-INF/classes} and the
   * nested {@code BOOT-INF/lib} jars, stored uncompressed as Spring Boot writes them, under the
   * {@code jar:nested:} URLs of Spring Boot 3.2+ and the {@code jar:file:...!/...!/} URLs of its
   * earlier loader. The folder's name has a space, which the URLs escape.
   */
  @Test
  void springBootFatJar_classesAndNestedJars_areReadUnderBothUrlForms() throws IOException {
    Path folder = Files.createDirectories(work.resolve("with space"));
    Path app = folder.resolve("app.jar");
    byte[] indexed = jar(
        entry("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"),
        entry("com/acme/lib/Filler.class", "x".repeat(10_000)),
        entry("META-INF/weft/woven-classes", "# weft-woven-classes 1\ncom.acme.lib.Listed\n"),
        entry("com/acme/lib/Listed.class", "y"));
    byte[] plain = jar(entry("com/acme/plain/Any.class", "z"));
    try (OutputStream file = Files.newOutputStream(app);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("BOOT-INF/classes/META-INF/weft/woven-classes"));
      out.write(INDEX.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      stored(out, "BOOT-INF/lib/indexed.jar", indexed);
      stored(out, "BOOT-INF/lib/plain.jar", plain);
      out.putNextEntry(new JarEntry("BOOT-INF/lib/deflated.jar"));
      out.write(indexed);
      out.closeEntry();
    }
    String raw = app.toUri().getRawPath();
    assertThat(raw).contains("%20");

    ProtectionDomain classes = domain(nested("jar:nested:" + raw + "/!BOOT-INF/classes/!/"));
    ProtectionDomain lib = domain(nested("jar:nested:" + raw + "/!BOOT-INF/lib/indexed.jar!/"));
    ProtectionDomain plainLib = domain(nested("jar:nested:" + raw + "/!BOOT-INF/lib/plain.jar!/"));
    ProtectionDomain deflated =
        domain(nested("jar:nested:" + raw + "/!BOOT-INF/lib/deflated.jar!/"));
    ProtectionDomain legacyClasses =
        domain(nested("jar:" + app.toUri() + "!/BOOT-INF/classes!/"));
    ProtectionDomain legacyLib =
        domain(nested("jar:" + app.toUri() + "!/BOOT-INF/lib/indexed.jar!/"));

    assertThat(index.skips("com.acme.Listed", classes)).isFalse();
    assertThat(index.skips("com.acme.Other", classes)).isTrue();
    assertThat(index.skips("com.acme.lib.Listed", lib)).isFalse();
    assertThat(index.skips("com.acme.lib.Filler", lib)).isTrue();
    assertThat(index.skips("com.acme.plain.Any", plainLib)).as("no index: matched").isFalse();
    assertThat(index.skips("com.acme.lib.Filler", deflated)).isTrue();
    assertThat(index.skips("com.acme.lib.Listed", deflated)).isFalse();
    assertThat(index.skips("com.acme.Other", legacyClasses)).isTrue();
    assertThat(index.skips("com.acme.lib.Filler", legacyLib)).isTrue();
    assertThat(index.skips("com.acme.lib.Listed", legacyLib)).isFalse();
  }

  /**
   * Spring Boot's {@code repackage} moves the application's classes into {@code BOOT-INF/classes}
   * but leaves {@code META-INF/weft/woven-classes} at the root of the fat jar (seen in the fat
   * jars of Boot 3.5.7 and 4.0.7 that {@code apps/} builds): the classes find it there.
   */
  @Test
  void springBootFatJar_indexAtTheJarsRoot_servesBootInfClasses() throws IOException {
    Path app = work.resolve("repackaged.jar");
    try (OutputStream file = Files.newOutputStream(app);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("META-INF/weft/woven-classes"));
      out.write(INDEX.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      out.putNextEntry(new JarEntry("BOOT-INF/classes/com/acme/Listed.class"));
      out.write('x');
      out.closeEntry();
    }
    String raw = app.toUri().getRawPath();
    ProtectionDomain classes = domain(nested("jar:nested:" + raw + "/!BOOT-INF/classes/!/"));
    ProtectionDomain legacy = domain(nested("jar:" + app.toUri() + "!/BOOT-INF/classes!/"));

    assertThat(index.skips("com.acme.Listed", classes)).isFalse();
    assertThat(index.skips("com.acme.Other", classes)).as("unlisted: skipped unread").isTrue();
    assertThat(index.skips("com.acme.Other", legacy)).isTrue();
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

  /**
   * A URL as Spring Boot's launcher makes it. {@code nested:} has no handler outside a Spring Boot
   * application, so the URL gets one that parses it and opens nothing: the index must be read
   * without opening the location's URL.
   */
  private static URL nested(String spec) throws IOException {
    return new URL(null, spec, new URLStreamHandler() {
      @Override
      protected URLConnection openConnection(URL url) throws IOException {
        throw new IOException("opened " + url);
      }
    });
  }

  private static byte[] entry(String name, String content) {
    return (name + "\u0000" + content).getBytes(StandardCharsets.UTF_8);
  }

  /** @return a jar of {@link #entry}s, each deflated */
  private static byte[] jar(byte[]... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream out = new JarOutputStream(bytes)) {
      for (byte[] entry : entries) {
        String text = new String(entry, StandardCharsets.UTF_8);
        int zero = text.indexOf('\u0000');
        out.putNextEntry(new JarEntry(text.substring(0, zero)));
        out.write(text.substring(zero + 1).getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Writes {@code content} uncompressed, as Spring Boot stores nested jars. */
  private static void stored(JarOutputStream out, String name, byte[] content) throws IOException {
    JarEntry entry = new JarEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(content.length);
    entry.setCompressedSize(content.length);
    CRC32 crc = new CRC32();
    crc.update(content);
    entry.setCrc(crc.getValue());
    out.putNextEntry(entry);
    out.write(content);
    out.closeEntry();
  }

  private static ProtectionDomain domain(URL location) {
    return new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null);
  }
}
