package dev.weft.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Skips, from a class's name alone, the classes that the woven-classes index of their code source
 * does not list.
 *
 * <h2>Design</h2>
 *
 * <p><b>The index.</b> weft-processor writes {@value #RESOURCE} into every class output it takes
 * part in: a header line {@value #HEADER}, then the binary names of the classes that declare
 * Weft-annotated methods (weft-processor's {@code WovenClassesFile} documents the format). For a
 * class whose code source (its jar or folder: {@code ProtectionDomain.getCodeSource().getLocation()})
 * has an index, the index is trusted: a listed class goes on to be woven, any other is
 * skipped unread. Two exceptions go on to matching: local and anonymous classes (a {@code $}
 * followed by a digit in the name), which annotation processors cannot see; and every class of a
 * code source without an index, or with one this agent cannot read (another format version, an
 * I/O error, a location that is neither a {@code file:} nor a {@code jar:} URL), or of a class
 * without a code source. Executable jars are read too: a Spring Boot application's {@code
 * BOOT-INF/classes} and its nested {@code BOOT-INF/lib} jars, under the {@code jar:nested:} URLs of
 * Spring Boot 3.2 and later and the {@code jar:file:...!/...!/} ones of its earlier loader (the
 * outer jar is opened as a file; {@link NestedJar} reads a nested jar's index in place). Spring
 * Boot's repackaging leaves the processor's {@code META-INF/weft/} at the root of the fat jar,
 * not in {@code BOOT-INF/classes}, so that folder's classes fall back to the root's index. The
 * agent jar carries an index with no classes, so its own dependencies are skipped.
 *
 * <p><b>Cost.</b> Each code source's index is read once, the first time a class of it loads
 * (directories through the file system, jars through {@link ZipFile}, which shares the central
 * directory the class loader has already read), and kept per location in a map that lives as long
 * as the agent. No lock is held while reading; two threads may read the same index once each.
 *
 * <p><b>Never in the way.</b> Nothing here throws: a failure to read an index is logged once, for
 * that location, and its classes are matched by their annotations, as without an index.
 */
final class WovenIndex {

  /**
   * The application's class folders of executable jars and wars. Spring Boot's repackaging moves
   * the classes there but leaves {@code META-INF/} (all of it but {@code services/} and {@code
   * aop.xml}) at the root of the outer jar, so a class of these folders finds its index at the
   * root when the folder has none.
   */
  private static final Set<String> APPLICATION_CLASSES =
      Set.of("BOOT-INF/classes/", "WEB-INF/classes/");

  /** The index's path in a jar or class folder. */
  static final String RESOURCE = "META-INF/weft/woven-classes";

  /** The first line of an index of the one format this agent reads. */
  static final String HEADER = "# weft-woven-classes 1";

  /**
   * A code source without a usable index: its classes are matched by their annotations. Compared
   * by identity, so a set of its own: an empty index ({@code Set.of()}) means the opposite, skip
   * every class.
   */
  private static final Set<String> NO_INDEX = Collections.unmodifiableSet(new HashSet<>());

  /** The listed names per code source location ({@code URL.toExternalForm()}), or NO_INDEX. */
  private final ConcurrentMap<String, Set<String>> byLocation = new ConcurrentHashMap<>();

  private final AtomicBoolean failureLogged = new AtomicBoolean();

  /** @return the marker of a code source without a usable index, for {@link NestedJar} */
  static Set<String> noIndex() {
    return NO_INDEX;
  }

  /**
   * @param name a class's binary name, not {@code null}
   * @param domain its protection domain, or {@code null}
   * @return whether the index of the class's code source leaves it out
   */
  boolean skips(String name, ProtectionDomain domain) {
    Set<String> listed;
    try {
      listed = listing(domain);
    } catch (RuntimeException e) {
      if (failureLogged.compareAndSet(false, true)) {
        WeftTransformer.Log.warning(
            "Weft could not use its woven-classes index for " + name
                + "; classes are matched by their annotations instead",
            e);
      }
      return false;
    }
    return listed != NO_INDEX && !listed.contains(name) && !isLocalOrAnonymous(name);
  }

  /** @return whether a {@code $} is followed by a digit, as in {@code Outer$1} or {@code Outer$1Local} */
  static boolean isLocalOrAnonymous(String name) {
    for (int i = name.indexOf('$'); i >= 0 && i + 1 < name.length(); i = name.indexOf('$', i + 1)) {
      if (Character.isDigit(name.charAt(i + 1))) {
        return true;
      }
    }
    return false;
  }

  private Set<String> listing(ProtectionDomain domain) {
    CodeSource source = domain == null ? null : domain.getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null) {
      return NO_INDEX;
    }
    String key = location.toExternalForm();
    Set<String> known = byLocation.get(key);
    if (known != null) {
      return known;
    }
    Set<String> read;
    String problem = null;
    try {
      read = read(location);
    } catch (IOException | RuntimeException e) {
      read = NO_INDEX;
      problem = e.toString();
    }
    if (read == null) {
      read = NO_INDEX;
      problem = "its first line is not '" + HEADER + "' (written by another weft-processor version?)";
    }
    Set<String> raced = byLocation.putIfAbsent(key, read);
    if (raced != null) {
      return raced;
    }
    if (problem != null) {
      WeftTransformer.Log.warning(
          "Weft cannot read " + RESOURCE + " in " + key + ": " + problem
              + "; its classes are matched by their annotations instead");
    }
    return read;
  }

  /**
   * @return the listed names; {@link #NO_INDEX} when the location has no index or is of a kind the
   *     agent does not open; {@code null} when the index is of an unknown format
   */
  private static Set<String> read(URL location) throws IOException {
    switch (location.getProtocol()) {
      case "file":
        return readFile(location);
      case "jar":
        return readJarUrl(location);
      default:
        return NO_INDEX;
    }
  }

  private static Set<String> readFile(URL location) throws IOException {
    Path path;
    try {
      path = Path.of(location.toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("not a file path: " + location, e);
    }
    if (Files.isDirectory(path)) {
      try (InputStream in = Files.newInputStream(path.resolve(RESOURCE))) {
        return parse(in);
      } catch (NoSuchFileException e) {
        return NO_INDEX;
      }
    }
    if (!Files.isRegularFile(path)) {
      return NO_INDEX;
    }
    try (ZipFile zip = new ZipFile(path.toFile())) {
      ZipEntry entry = zip.getEntry(RESOURCE);
      if (entry == null) {
        return NO_INDEX;
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return parse(in);
      }
    }
  }

  /**
   * A folder or a nested jar inside a jar, as class loaders of executable jars name them:
   *
   * <ul>
   *   <li>{@code jar:nested:/app.jar/!BOOT-INF/classes/!/} and {@code
   *       jar:nested:/app.jar/!BOOT-INF/lib/lib.jar!/}: Spring Boot 3.2 and later;
   *   <li>{@code jar:file:/app.jar!/BOOT-INF/classes!/} and {@code
   *       jar:file:/app.jar!/BOOT-INF/lib/lib.jar!/}: Spring Boot's earlier loader;
   *   <li>{@code jar:file:/app.jar!/BOOT-INF/classes/} and {@code jar:file:/app.jar!/}.
   * </ul>
   *
   * The outer jar is opened as a file and the index read from it directly, not through the
   * location's URL: that would need the launcher's URL handlers ({@code nested:} is Spring Boot's),
   * and would run their code inside a class-file transform.
   */
  private static Set<String> readJarUrl(URL location) throws IOException {
    String url = location.toExternalForm();
    String outer;
    String inner;
    if (url.startsWith("jar:nested:")) {
      String rest = url.substring("jar:nested:".length());
      int separator = rest.indexOf("/!");
      if (separator < 0) {
        return NO_INDEX;
      }
      outer = "file:" + rest.substring(0, separator);
      inner = rest.substring(separator + 2);
    } else if (url.startsWith("jar:file:")) {
      String rest = url.substring("jar:".length());
      int separator = rest.indexOf("!/");
      if (separator < 0) {
        return NO_INDEX;
      }
      outer = rest.substring(0, separator);
      inner = rest.substring(separator + 2);
    } else {
      return NO_INDEX;
    }
    if (inner.endsWith("!/")) {
      inner = inner.substring(0, inner.length() - 2);
    } else if (!inner.isEmpty() && !inner.endsWith("/")) {
      return NO_INDEX;
    }
    Path jar;
    try {
      jar = Path.of(new URI(outer));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("not a jar inside a file: " + url, e);
    }
    inner = URLDecoder.decode(inner.replace("+", "%2B"), StandardCharsets.UTF_8);
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      if (inner.endsWith(".jar")) {
        return NestedJar.index(zip, zip.getEntry(inner));
      }
      String folder = inner.isEmpty() || inner.endsWith("/") ? inner : inner + "/";
      ZipEntry entry = zip.getEntry(folder + RESOURCE);
      if (entry == null && APPLICATION_CLASSES.contains(folder)) {
        entry = zip.getEntry(RESOURCE);
      }
      if (entry == null) {
        return NO_INDEX;
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return parse(in);
      }
    }
  }

  /** @return the listed names, or {@code null} when the first line is not {@link #HEADER} */
  static Set<String> parse(InputStream in) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String first = lines.readLine();
    if (first == null || !first.strip().equals(HEADER)) {
      return null;
    }
    Set<String> names = new HashSet<>();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        names.add(name);
      }
    }
    return Set.copyOf(names);
  }
}
