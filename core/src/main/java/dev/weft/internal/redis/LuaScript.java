package dev.weft.internal.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script, read from the {@code dev/weft/scripts/} resources of weft-core, with its SHA-1
 * computed once. Scripts are fixed text shipped with Weft: nothing from user data is ever
 * concatenated into a script, keys and values travel as KEYS and ARGV.
 *
 * @param name the resource's base name, for messages
 * @param body the script text
 * @param sha the lowercase hex SHA-1 of {@code body}, as EVALSHA wants it
 */
public record LuaScript(String name, String body, String sha) {

  /**
   * Loads {@code dev/weft/scripts/<name>.lua}.
   *
   * @param name the script's base name, not {@code null}
   * @return the script, never {@code null}
   * @throws IllegalStateException if the resource is missing, which means a broken build
   */
  public static LuaScript load(String name) {
    String path = "/dev/weft/scripts/" + name + ".lua";
    try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("Lua script " + path + " is missing from weft-core");
      }
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new LuaScript(name, body, sha1(body));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lua script " + path, e);
    }
  }

  private static String sha1(String body) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by the Java platform", e);
    }
  }
}
