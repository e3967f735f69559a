package dev.weft.internal.redis;

/**
 * Builds keys whose hash tag is a user's key, so that every key Weft derives from one user key
 * lands in one Redis Cluster slot (and one script may touch them all).
 *
 * <p>Redis hashes the text between the first {@code {} and the first {@code }} after it, so a
 * {@code }} inside the user key would end the tag early and split the keys across slots. User
 * keys are therefore escaped, not rejected (keys rendered from JSON or templates may well hold
 * braces): {@code %} becomes {@code %25}, {@code {} {@code %7B} and {@code }} {@code %7D}. The
 * escaping is injective, so two user keys never share derived keys, and keys without those three
 * characters appear in Redis as they are.
 */
public final class HashTags {

  private HashTags() {}

  /**
   * @param prefix Weft's prefix, such as {@code weft:lock:}
   * @param userKey the user's key, not {@code null}, not empty (an empty tag {@code {}} would make
   *     Redis hash each whole key instead)
   * @return {@code <prefix>{<escaped user key>}}
   */
  public static String tagged(String prefix, String userKey) {
    StringBuilder key =
        new StringBuilder(prefix.length() + userKey.length() + 2).append(prefix).append('{');
    for (int i = 0; i < userKey.length(); i++) {
      char c = userKey.charAt(i);
      switch (c) {
        case '%' -> key.append("%25");
        case '{' -> key.append("%7B");
        case '}' -> key.append("%7D");
        default -> key.append(c);
      }
    }
    return key.append('}').toString();
  }
}
