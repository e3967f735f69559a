package dev.weft.internal.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The rules every key Weft writes follows: how values are escaped inside a rendered key, the
 * namespace Weft keeps for itself, and the bound on a key's length.
 *
 * <h2>Design</h2>
 *
 * A rendered key must name one argument tuple: two different tuples never share an entry. Values
 * are therefore percent-escaped (UTF-8 bytes as {@code %XX}, upper-case hex) for the characters
 * that could be mistaken for structure: {@code %} (the escape itself), {@code :} (the separator
 * namespaces end at), {@code { } * ? [ ] \} (hash tags and glob patterns), whitespace and control
 * characters, and the first character of the template's literal that follows the value. Given a
 * template, the key then reads back one way only: each value ends where the next literal's first
 * character first appears. Plain ids and slugs ({@code 42}, {@code acme-eu}, {@code a.b_c}) are
 * left as they are; {@code null} is {@code %null}, which no value renders to.
 *
 * <p>Templates may not hold {@code %} in their literal text, so a raw {@code %} in a rendered key
 * always starts an escape Weft wrote. That leaves room for the two rewrites below, which no value
 * or literal can produce:
 *
 * <ul>
 *   <li>{@code weft:} starts Weft's own keys (rate limits, locks, tags, sessions, queues). A
 *       rendered key that would start with it starts with {@code %77eft:} instead, the
 *       {@code w} escaped. A key given whole through the programmatic API is taken as it is (so
 *       {@code cache.invalidate("user:42")} removes the entry {@code @Cached(key = "user:{id}")}
 *       stored for 42) and refused when it starts with {@code weft:}.
 *   <li>A key longer than {@link #MAX_LENGTH} characters becomes its first characters (at most
 *       {@link #HEAD_LENGTH}, never cutting an escape or a surrogate pair), {@code %#}, and the
 *       unpadded base64url SHA-256 of the whole key: readable in {@code redis-cli}, bounded in
 *       memory and on the change feed, and still under the namespace its head names.
 * </ul>
 */
public final class KeyText {

  /** The longest key Weft writes as it is, in characters. */
  public static final int MAX_LENGTH = 512;

  /** The most characters of a longer key that stay readable before its hash. */
  public static final int HEAD_LENGTH = 448;

  /** Weft's own namespace. */
  public static final String RESERVED = "weft:";

  /** What {@code null} renders as. */
  public static final String NULL = "%null";

  /** Marks a hashed key: what follows is the hash of the whole key. */
  static final String HASHED = "%#";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private KeyText() {}

  /**
   * @param value a value's text, not {@code null}
   * @param extra one more code point to escape (the first of the literal that follows the value),
   *     or {@code -1}
   * @param brackets whether {@code [} and {@code ]} are escaped
   * @return {@code value} escaped; {@code value} itself when nothing needed escaping
   */
  public static String escape(String value, int extra, boolean brackets) {
    int n = value.length();
    for (int i = 0; i < n; ) {
      int c = value.codePointAt(i);
      if (escaped(c, extra, brackets)) {
        StringBuilder out = new StringBuilder(n + 16).append(value, 0, i);
        appendEscaped(out, value, i, extra, brackets);
        return out.toString();
      }
      i += Character.charCount(c);
    }
    return value;
  }

  /** Appends {@code value} escaped as {@link #escape} does. */
  static void append(StringBuilder out, String value, int extra, boolean brackets) {
    appendEscaped(out, value, 0, extra, brackets);
  }

  private static void appendEscaped(
      StringBuilder out, String value, int from, int extra, boolean brackets) {
    int n = value.length();
    for (int i = from; i < n; ) {
      int c = value.codePointAt(i);
      int chars = Character.charCount(c);
      if (escaped(c, extra, brackets)) {
        for (byte b : value.substring(i, i + chars).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
      } else {
        out.append(value, i, i + chars);
      }
      i += chars;
    }
  }

  private static boolean escaped(int c, int extra, boolean brackets) {
    switch (c) {
      case '%', ':', '{', '}', '*', '?', '\\' -> {
        return true;
      }
      case '[', ']' -> {
        return brackets;
      }
      default -> {
        return c == extra
            || Character.isWhitespace(c)
            || Character.isSpaceChar(c)
            || Character.isISOControl(c)
            || Character.getType(c) == Character.FORMAT;
      }
    }
  }

  /**
   * A rendered key as Weft writes it: moved out of {@link #RESERVED} and {@linkplain #bound
   * bounded}.
   *
   * @param rendered a key rendered from a template, not {@code null}
   * @return the key to write
   */
  public static String finish(String rendered) {
    return bound(rendered.startsWith(RESERVED) ? "%77" + rendered.substring(1) : rendered);
  }

  /**
   * A key given whole by the caller (the programmatic API): taken as it is, bounded.
   *
   * @param key the key, not {@code null}
   * @return the key to write
   * @throws IllegalArgumentException if {@code key} starts with {@link #RESERVED}
   */
  public static String programmatic(String key) {
    if (key.startsWith(RESERVED)) {
      throw new IllegalArgumentException(
          "the key \"" + bound(key) + "\" starts with \"" + RESERVED + "\", where Weft keeps its"
              + " own keys (rate limits, locks, tags, sessions, queues); give it another prefix,"
              + " as in \"app:" + key.substring(RESERVED.length()) + "\"");
    }
    return bound(key);
  }

  /**
   * @param key a key, not {@code null}
   * @return {@code key} when it has at most {@link #MAX_LENGTH} characters, else its head,
   *     {@code %#} and the base64url SHA-256 of all of it
   */
  public static String bound(String key) {
    if (key.length() <= MAX_LENGTH) {
      return key;
    }
    int cut = HEAD_LENGTH;
    if (key.charAt(cut - 1) == '%') {
      cut -= 1;
    } else if (key.charAt(cut - 2) == '%') {
      cut -= 2;
    }
    if (Character.isHighSurrogate(key.charAt(cut - 1))) {
      cut -= 1;
    }
    return key.substring(0, cut) + HASHED + hash(key);
  }

  /** @return whether {@code key} was shortened by {@link #bound} */
  static boolean isHashed(String key) {
    return key.contains(HASHED);
  }

  /**
   * The longest text of a namespace that still starts every key under it once keys are bounded.
   * A namespace longer than that is matched on its first characters, which removes every key
   * under it and possibly other keys sharing those characters (a cache miss, never a stale
   * entry).
   *
   * @param namespace a rendered namespace, not {@code null}
   * @return {@code namespace}, or its first characters when it is too long to survive bounding
   */
  public static String namespaceHead(String namespace) {
    int longest = HEAD_LENGTH - 3;
    if (namespace.length() <= longest) {
      return namespace;
    }
    int cut = longest;
    if (Character.isHighSurrogate(namespace.charAt(cut - 1))) {
      cut -= 1;
    }
    return namespace.substring(0, cut);
  }

  private static String hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
