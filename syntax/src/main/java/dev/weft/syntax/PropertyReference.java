package dev.weft.syntax;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference to a configuration property in a duration attribute, such as {@code
 * ${weft.ttl.users:10m}}: the name of the property and the default to use when it is not set.
 *
 * <h2>Design</h2>
 *
 * <p>Every duration attribute ({@code ttl}, {@code jitter}, {@code staleWhileRevalidate}, {@code
 * loadTimeout}, ...) is either a duration ({@link DurationSyntax}) or a reference to a property.
 * The grammar, which weft-core applies when it builds a plan and weft-processor when it compiles:
 *
 * <pre>
 *   reference = "${" name [ ":" default ] "}"
 *   name      = one or more of  A-Z a-z 0-9 . _ -      (ASCII only)
 *   default   = any characters but "}"
 * </pre>
 *
 * <p>Text that contains <code>${</code> anywhere is meant as a reference ({@link #isReference}); the
 * whole text, trimmed, must then match the grammar: no text before or after, no nesting, no spaces
 * in the name. The default is kept as written; the caller parses it as the attribute requires
 * (usually {@link DurationSyntax#parsePositive}, which trims).
 *
 * <p>The runtime looks the name up in the lookup a framework adapter installed (the Spring Boot
 * starter's reads the application's {@code Environment}), then as a system property, then as the
 * environment variable {@link #environmentName()}. Without a default the reference is valid, but the method fails at its first
 * call when the property is not set, so the processor warns.
 *
 * <p>Examples: {@code ${weft.ttl.users:10m}}, {@code ${CACHE_TTL:PT5M}}, {@code ${weft.ttl.users}}.
 * Rejected: <code>${</code>}, {@code ${weft ttl:10m}}, {@code x${a:1m}}, {@code ${a:${b:1m}}}.
 *
 * @param name the property name, never {@code null} or empty
 * @param defaultValue the default as written after {@code :}, or {@code null} when there is none
 */
public record PropertyReference(String name, String defaultValue) {

  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z0-9._-]+)(?::([^}]*))?\\}");

  /** How the grammar is described in messages. */
  public static final String GRAMMAR =
      "write ${name} or ${name:default}, where the name is letters, digits, '.', '_' or '-' and"
          + " the default a duration, as in ${weft.ttl.users:10m}";

  /**
   * @param text an attribute's text, not {@code null}
   * @return whether the text is meant as a property reference (it contains <code>${</code>),
   *     well-formed or not
   */
  public static boolean isReference(String text) {
    return text.contains("${");
  }

  /**
   * @param text an attribute's text for which {@link #isReference} holds, not {@code null}
   * @return the reference; its default is not checked here
   * @throws IllegalArgumentException if the text does not follow the grammar; the message quotes
   *     it and states the grammar
   */
  public static PropertyReference parse(String text) {
    Matcher m = REFERENCE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a property reference; " + GRAMMAR);
    }
    return new PropertyReference(m.group(1), m.group(2));
  }

  /**
   * @return the environment variable the runtime reads when no system property of this {@link
   *     #name} is set: the name upper-cased, with {@code .} and {@code -} turned into {@code _}
   *     ({@code weft.ttl-users} is {@code WEFT_TTL_USERS})
   */
  public String environmentName() {
    return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
