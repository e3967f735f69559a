package dev.weft.processor;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * Property references in durations
 *
 * Every duration attribute (ttl, jitter, staleWhileRevalidate, loadTimeout) is either a duration
 * (DurationSyntax) or a reference to a configuration property, as weft-core's Durations reads it.
 * The grammar, the same at compile time and at run time:
 *
 *   reference = "${" name [ ":" default ] "}"
 *   name      = one or more of  A-Z a-z 0-9 . _ -      (ASCII only)
 *   default   = any characters but "}", parsed by DurationSyntax.parsePositive (which trims)
 *
 * Text that contains "${" anywhere is meant as a reference; the whole text, trimmed, must then
 * match the grammar (no text before or after, no nesting, no spaces in the name). Without a
 * default the reference is allowed, but the method fails at its first call when the property is
 * not set, so the processor warns. (The runtime looks the name up as a system property, then as
 * an environment variable: upper-cased, with '.' and '-' turned into '_'.)
 *
 * Examples: ${weft.ttl.users:10m}, ${CACHE_TTL:PT5M}, ${weft.ttl.users} (warned).
 * Rejected: ${}, ${weft ttl:10m}, x${a:1m}, ${a:${b:1m}}; and, for their default, ${a:},
 * ${a:0s}, ${a:10 minutes}.
 *
 * The pattern is weft-core's (dev.weft.internal.plan.Durations), copied: that class is not in the
 * pure-JDK syntax package the processor shades. Once the grammar moves into
 * dev.weft.internal.syntax, the processor should use the shaded copy instead, as it does for
 * durations and templates.
 */

/**
 * Recognizes a property reference such as {@code ${weft.ttl.users:10m}}; see the grammar in the
 * block comment at the top of this file.
 *
 * @param name the property name, never {@code null} or empty
 * @param defaultValue the default as written after {@code :}, or {@code null} when there is none
 */
record PropertyReference(String name, String defaultValue) {

  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z0-9._-]+)(?::([^}]*))?\\}");

  /** How the grammar is described in messages. */
  static final String GRAMMAR =
      "write ${name} or ${name:default}, where the name is letters, digits, '.', '_' or '-' and"
          + " the default a duration, as in ${weft.ttl.users:10m}";

  /**
   * @param text an attribute's text, not {@code null}
   * @return whether the text is meant as a property reference (it contains {@code ${}),
   *     well-formed or not
   */
  static boolean isReference(String text) {
    return text.contains("${");
  }

  /**
   * @param text an attribute's text for which {@link #isReference} holds, not {@code null}
   * @return the reference; its default is not checked here
   * @throws IllegalArgumentException if the text does not follow the grammar; the message quotes
   *     it and states the grammar
   */
  static PropertyReference parse(String text) {
    Matcher m = REFERENCE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a property reference; " + GRAMMAR);
    }
    return new PropertyReference(m.group(1), m.group(2));
  }
}
