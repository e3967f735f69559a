package dev.weft.processor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The woven-classes index: which classes of a compilation's output declare methods that Weft
 * weaves, so that the Weft agent reads only those and skips every other class of the same jar or
 * folder without parsing it.
 *
 * <h2>Format</h2>
 *
 * Resource {@value #PATH} in the class output, UTF-8, one entry a line:
 *
 * <pre>
 * # weft-woven-classes 1
 * # Classes with Weft-annotated methods, written by weft-processor; the Weft agent transforms only these.
 * com.acme.Orders
 * com.acme.Outer$Inner
 * </pre>
 *
 * The first line is exactly {@value #HEADER}: the format's name and version. A reader that does
 * not know the version must not trust the file. Other lines starting with {@code #} are comments;
 * every other non-blank line is the binary name ({@code Class.getName()}) of one class that
 * declares at least one method carrying an annotation that is woven ({@code @Cached},
 * {@code @CachedBulk}, {@code @WriteThrough}, {@code @Invalidate}, {@code @RateLimited},
 * {@code @DistributedLock}, {@code @Counted}, repeated or not), sorted, each once. No timestamp: the same sources
 * give the same bytes.
 *
 * <p>A file with the header alone says: this output was compiled with the processor and has
 * nothing to weave. The processor therefore writes it in every compilation it takes part in,
 * annotated or not ({@link WeftProcessor} supports {@code "*"} for that reason).
 *
 * <h2>What it cannot list</h2>
 *
 * Annotation processors see declarations, not method bodies, so local and anonymous classes are
 * never listed; their binary names have a {@code $} followed by a digit ({@code Outer$1},
 * {@code Outer$1Local}), and the agent matches such classes by their annotations instead. Classes
 * compiled into the same output without the processor (another compiler, another javac run without
 * it) are not listed either: the agent trusts the index and skips them.
 *
 * <h2>Incremental builds</h2>
 *
 * An IDE or build tool that compiles only the changed sources runs the processor on those alone.
 * So that such a build does not shrink the index to the classes it just compiled, the names
 * already in the output's index (of this format) are kept and the new ones added. The file can
 * therefore name a class that no longer has annotated methods, or no longer exists; the agent then
 * only reads that class, finds nothing to weave, and loads it unchanged. A clean build starts
 * over.
 */
final class WovenClassesFile {

  /** Where the index is, relative to the root of the class output (and of a jar). */
  static final String PATH = "META-INF/weft/woven-classes";

  /** The first line: the format's name and version. */
  static final String HEADER = "# weft-woven-classes 1";

  private final Filer filer;
  private final Messager messager;
  private final Set<String> names = new TreeSet<>();

  WovenClassesFile(Filer filer, Messager messager) {
    this.filer = filer;
    this.messager = messager;
  }

  /**
   * Adds a class to the index.
   *
   * @param binaryName its binary name ({@code Class.getName()}), not {@code null}
   */
  void add(String binaryName) {
    names.add(binaryName);
  }

  /**
   * Writes the index, merged with the one already in the class output. Called once, when
   * processing is over. A failure is a warning, never an error: without the index the agent
   * matches every class by its annotations, which is slower at start-up but weaves the same
   * methods.
   */
  void write() {
    Set<String> all = new TreeSet<>(names);
    all.addAll(previous());
    StringBuilder content = new StringBuilder();
    content.append(HEADER).append('\n');
    content.append(
        "# Classes with Weft-annotated methods, written by weft-processor;"
            + " the Weft agent transforms only these.\n");
    for (String name : all) {
      content.append(name).append('\n');
    }
    try {
      FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", PATH);
      try (Writer writer =
          new OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
        writer.write(content.toString());
      }
    } catch (IOException | RuntimeException e) {
      messager.printMessage(
          Diagnostic.Kind.WARNING,
          "weft-processor could not write "
              + PATH
              + ": "
              + e
              + "; the Weft agent will match this output's classes by their annotations,"
              + " which only costs start-up time");
    }
  }

  /**
   * @return the names in the class output's index from an earlier compilation, empty when there is
   *     none or it is of another format
   */
  private Set<String> previous() {
    Set<String> found = new TreeSet<>();
    try {
      FileObject file = filer.getResource(StandardLocation.CLASS_OUTPUT, "", PATH);
      try (Reader in = new InputStreamReader(file.openInputStream(), StandardCharsets.UTF_8);
          BufferedReader lines = new BufferedReader(in)) {
        if (!HEADER.equals(lines.readLine())) {
          return found;
        }
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          String name = line.strip();
          if (!name.isEmpty() && !name.startsWith("#")) {
            found.add(name);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // No earlier index (the usual case), or it cannot be read: start from this compilation's.
    }
    return found;
  }
}
