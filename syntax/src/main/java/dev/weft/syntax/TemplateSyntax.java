package dev.weft.syntax;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Parses key templates such as {@code "user:{id}"}, {@code "{0}"} or
 * {@code "order:{order.customer.id}"} into literal text and placeholders.
 *
 * <p>A placeholder is a parameter name (a Java identifier) or a parameter position (a decimal
 * number), optionally followed by a property path of identifiers separated by dots. Literal braces
 * are written doubled: {@code "{{"} and {@code "}}"}.
 *
 * <p>The runtime and the annotation processor both parse templates with this class, so the compiler
 * and the runtime read templates the same way.
 */
public final class TemplateSyntax {

  private TemplateSyntax() {}

  /** One piece of a parsed template: literal text or a placeholder. */
  public interface Part {}

  /**
   * Literal text, emitted as it is.
   *
   * @param text the text with escapes resolved, never {@code null} or empty
   */
  public record Literal(String text) implements Part {}

  /**
   * A reference to a parameter and an optional property path below it.
   *
   * @param parameter the parameter's name, or {@code null} when referenced by position
   * @param position the parameter's zero-based position, or {@code -1} when referenced by name
   * @param path the property names below the parameter, possibly empty, never {@code null}
   * @param source the placeholder as written, without braces, for messages
   */
  public record Placeholder(String parameter, int position, List<String> path, String source)
      implements Part {

    /** @return whether the parameter is referenced by position */
    public boolean byPosition() {
      return position >= 0;
    }
  }

  /**
   * Parses {@code template}.
   *
   * @param template the template, not {@code null}; empty yields an empty list
   * @return the parts in order, never {@code null}; adjacent literal text is merged
   * @throws IllegalArgumentException on an unclosed or stray brace, an empty placeholder, or a
   *     placeholder that is neither an identifier path nor a position; the message says where
   */
  public static List<Part> parse(String template) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c == '{') {
        if (i + 1 < n && template.charAt(i + 1) == '{') {
          literal.append('{');
          i += 2;
          continue;
        }
        int close = template.indexOf('}', i + 1);
        if (close < 0) {
          throw new IllegalArgumentException(
              "unclosed '{' at index " + i + " in \"" + template + "\"; close it with '}' or write '{{' for a literal brace");
        }
        String body = template.substring(i + 1, close);
        if (literal.length() > 0) {
          parts.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        parts.add(placeholder(body, template));
        i = close + 1;
      } else if (c == '}') {
        if (i + 1 < n && template.charAt(i + 1) == '}') {
          literal.append('}');
          i += 2;
          continue;
        }
        throw new IllegalArgumentException(
            "stray '}' at index " + i + " in \"" + template + "\"; write '}}' for a literal brace");
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) {
      parts.add(new Literal(literal.toString()));
    }
    return Collections.unmodifiableList(parts);
  }

  /**
   * What makes a parsed key template unable to name one argument tuple per key, or able to name
   * Weft's own keys.
   *
   * @param parts a parsed template, not {@code null}
   * @return a message saying what is wrong and what is right, or {@code null} when nothing is
   */
  public static String keyProblem(List<Part> parts) {
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      if (part instanceof Placeholder p && i + 1 < parts.size()
          && parts.get(i + 1) instanceof Placeholder q) {
        return "'{" + p.source() + "}{" + q.source() + "}' puts two values side by side, so"
            + " different values can render one key (\"ab\"+\"c\" and \"a\"+\"bc\"); put a"
            + " separator between them, as in {" + p.source() + "}:{" + q.source() + "}";
      }
      if (part instanceof Literal literal) {
        if (literal.text().indexOf('%') >= 0) {
          return "'%' in the literal text \"" + literal.text() + "\" is the escape character of"
              + " rendered keys; use another character, such as '-' or '_'";
        }
        if (i == 0 && literal.text().startsWith("weft:")) {
          return "\"" + literal.text() + "\" starts with \"weft:\", where Weft keeps its own"
              + " keys (rate limits, locks, tags, sessions, queues); use another prefix, as in"
              + " \"app:" + literal.text().substring(5) + "\"";
        }
      }
    }
    return null;
  }

  private static Placeholder placeholder(String body, String template) {
    String trimmed = body.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException(
          "empty placeholder '{}' in \"" + template + "\"; name a parameter, as in {id}, or give its position, as in {0}");
    }
    List<String> segments = Arrays.asList(trimmed.split("\\.", -1));
    String head = segments.get(0);
    for (int s = 1; s < segments.size(); s++) {
      if (!isIdentifier(segments.get(s))) {
        throw new IllegalArgumentException(
            "'{" + body + "}' in \"" + template + "\" has an invalid property name '" + segments.get(s)
                + "'; a path is identifiers separated by dots, as in {order.customer.id}");
      }
    }
    List<String> path = List.copyOf(segments.subList(1, segments.size()));
    if (isNumber(head)) {
      return new Placeholder(null, Integer.parseInt(head), path, trimmed);
    }
    if (!isIdentifier(head)) {
      throw new IllegalArgumentException(
          "'{" + body + "}' in \"" + template + "\" is neither a parameter name nor a position; write {id} or {0}");
    }
    return new Placeholder(head, -1, path, trimmed);
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 4) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isIdentifier(String s) {
    if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!Character.isJavaIdentifierPart(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
