package dev.weft.agent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Reads the woven-classes index of a jar nested in another, such as a Spring Boot application's
 * {@code BOOT-INF/lib/*.jar}, without reading the rest of it.
 *
 * <h2>Design</h2>
 *
 * <p>An executable jar stores its nested jars uncompressed ({@code STORED}: Spring Boot requires
 * it, so that its loader can read them in place). The JDK's stream of a stored entry skips
 * forward by moving a position, without reading, so the nested jar's own zip structure is read at
 * three offsets: its end-of-central-directory record (the last 22 bytes, plus a comment of up to
 * 64 KiB), its central directory (about 80 bytes per entry), and the one entry {@value
 * WovenIndex#RESOURCE} if the directory lists it. A jar with hundreds of nested jars is thus
 * opened at start-up for a few kilobytes each; no nested jar is inflated. A nested jar that is
 * compressed (not a layout Spring Boot writes) is read as a stream, entry by entry, until the
 * index. ZIP64 nested jars
 * (over 4 GiB, or over 65,535 entries) are not read: their classes are matched by annotations.
 * The format is PKWARE's APPNOTE.TXT, sections 4.3.7 (local header), 4.3.12 (central directory
 * header) and 4.3.16 (end of central directory).
 */
final class NestedJar {

  private static final int END_OF_DIRECTORY = 0x06054b50;
  private static final int END_OF_DIRECTORY_SIZE = 22;
  private static final int DIRECTORY_ENTRY = 0x02014b50;
  private static final int DIRECTORY_ENTRY_SIZE = 46;
  private static final int LOCAL_HEADER_SIZE = 30;
  private static final byte[] INDEX_NAME = WovenIndex.RESOURCE.getBytes(StandardCharsets.UTF_8);

  private NestedJar() {}

  /**
   * @param outer the jar that holds the nested one, open
   * @param nested the nested jar's entry in it, or {@code null} when there is none
   * @return what {@link WovenIndex#parse} returns for the nested jar's index, or {@code
   *     WovenIndex}'s "no index" set when it has none
   */
  static Set<String> index(ZipFile outer, ZipEntry nested) throws IOException {
    if (nested == null) {
      return WovenIndex.noIndex();
    }
    if (nested.getMethod() != ZipEntry.STORED) {
      try (ZipInputStream in = new ZipInputStream(outer.getInputStream(nested))) {
        for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
          if (entry.getName().equals(WovenIndex.RESOURCE)) {
            return WovenIndex.parse(in);
          }
        }
      }
      return WovenIndex.noIndex();
    }
    long size = nested.getSize();
    int tailLength = (int) Math.min(size, END_OF_DIRECTORY_SIZE + 0xFFFF);
    byte[] tail = read(outer, nested, size - tailLength, tailLength);
    int end = -1;
    for (int i = tailLength - END_OF_DIRECTORY_SIZE; i >= 0 && end < 0; i--) {
      if (int32(tail, i) == END_OF_DIRECTORY) {
        end = i;
      }
    }
    if (end < 0) {
      throw new ZipException(nested.getName() + " is not a jar (no end of central directory)");
    }
    long directorySize = uint32(tail, end + 12);
    long directoryOffset = uint32(tail, end + 16);
    if (directoryOffset + directorySize > size) {
      throw new ZipException(nested.getName() + ": central directory out of bounds (ZIP64?)");
    }
    byte[] directory = read(outer, nested, directoryOffset, (int) directorySize);
    for (int at = 0; at + DIRECTORY_ENTRY_SIZE <= directory.length; ) {
      if (int32(directory, at) != DIRECTORY_ENTRY) {
        throw new ZipException(nested.getName() + ": malformed central directory");
      }
      int method = uint16(directory, at + 10);
      long compressedSize = uint32(directory, at + 20);
      int nameLength = uint16(directory, at + 28);
      int extraLength = uint16(directory, at + 30);
      int commentLength = uint16(directory, at + 32);
      long localHeader = uint32(directory, at + 42);
      int name = at + DIRECTORY_ENTRY_SIZE;
      if (Arrays.equals(directory, name, name + nameLength, INDEX_NAME, 0, INDEX_NAME.length)) {
        return entry(outer, nested, localHeader, method, compressedSize);
      }
      at = name + nameLength + extraLength + commentLength;
    }
    return WovenIndex.noIndex();
  }

  private static Set<String> entry(
      ZipFile outer, ZipEntry nested, long localHeader, int method, long compressedSize)
      throws IOException {
    byte[] header = read(outer, nested, localHeader, LOCAL_HEADER_SIZE);
    long data = localHeader + LOCAL_HEADER_SIZE + uint16(header, 26) + uint16(header, 28);
    // One spare byte: an Inflater without zlib header may ask for one past the deflated data.
    byte[] bytes = Arrays.copyOf(read(outer, nested, data, (int) compressedSize),
        (int) compressedSize + 1);
    if (method == ZipEntry.STORED) {
      return WovenIndex.parse(new ByteArrayInputStream(bytes, 0, (int) compressedSize));
    }
    if (method != ZipEntry.DEFLATED) {
      throw new ZipException(WovenIndex.RESOURCE + " in " + nested.getName()
          + " has compression method " + method);
    }
    Inflater inflater = new Inflater(true);
    try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(bytes), inflater)) {
      return WovenIndex.parse(in);
    } finally {
      inflater.end();
    }
  }

  /** @return {@code length} bytes of the stored entry from {@code offset} */
  private static byte[] read(ZipFile zip, ZipEntry entry, long offset, int length)
      throws IOException {
    try (InputStream in = zip.getInputStream(entry)) {
      in.skipNBytes(offset);
      byte[] bytes = in.readNBytes(length);
      if (bytes.length != length) {
        throw new ZipException(entry.getName() + " ends before byte " + (offset + length));
      }
      return bytes;
    }
  }

  private static int uint16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  private static long uint32(byte[] b, int at) {
    return int32(b, at) & 0xffffffffL;
  }

  private static int int32(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16
        | (b[at + 3] & 0xff) << 24;
  }
}
