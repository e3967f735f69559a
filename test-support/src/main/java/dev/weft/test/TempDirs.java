package dev.weft.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories for server files, deleted on close or at JVM exit. */
final class TempDirs {

  private TempDirs() {}

  /**
   * Creates a directory under {@code java.io.tmpdir}.
   *
   * @param prefix the start of its name, not {@code null}
   * @return the new directory, never {@code null}
   * @throws UncheckedIOException if it cannot be created
   */
  static Path create(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for Redis", e);
    }
  }

  /**
   * Deletes a directory and everything below it, ignoring what cannot be deleted.
   *
   * @param dir the directory; nothing happens if it does not exist, not {@code null}
   */
  static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a leftover file in the temp dir is harmless; failing a test's clean-up over it is not
    }
  }
}
