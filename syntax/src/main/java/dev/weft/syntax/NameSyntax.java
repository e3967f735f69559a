package dev.weft.syntax;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The names of runtimes ({@code Weft.builder().name(...)}, the annotations' {@code runtime}) and
 * the names and retentions of counters ({@code weft.counter(name, options)}, {@code
 * @Counted(name, retention)}): what the runtime accepts and the annotation processor checks.
 *
 * <p>The runtime and the annotation processor both check names with this class, so the compiler
 * accepts exactly the names the runtime accepts, with the same messages.
 */
public final class NameSyntax {

  /** What a counter's name may be, for messages. */
  public static final String NAME_RULE = "1 to 64 letters, digits, '.', '_' or '-'";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private NameSyntax() {}

  /**
   * @param name a candidate name, not {@code null}
   * @return whether it is a valid counter name: {@value #NAME_RULE}
   */
  public static boolean isCounterName(String name) {
    return NAME.matcher(name).matches();
  }

  /**
   * @param what what is named, for the message, such as {@code "counter"}
   * @param name the candidate name, not {@code null}
   * @return what is wrong with it, as a sentence that ends with the fix, or {@code null} if
   *     nothing is
   */
  public static String counterNameProblem(String what, String name) {
    if (isCounterName(name)) {
      return null;
    }
    return "a " + what + "'s name must be " + NAME_RULE + ", such as \"page-views\", was \""
        + name + "\"";
  }

  /**
   * A runtime's name ({@code Weft.builder().name(...)}, the {@code runtime} attribute of the
   * annotations) follows the rule of counters' names.
   *
   * @param name the candidate name, not {@code null}
   * @return what is wrong with it, as a sentence that ends with the fix, or {@code null} if
   *     nothing is
   */
  public static String runtimeNameProblem(String name) {
    if (isCounterName(name)) {
      return null;
    }
    return "a runtime's name must be " + NAME_RULE + ", such as \"billing\", was \"" + name
        + "\"";
  }

  /**
   * A counter keeps buckets for a whole number of seconds, and Redis's {@code EXPIREAT} counts in
   * seconds.
   *
   * @param retention a parsed retention, not {@code null}
   * @param text the retention as written, for the message
   * @return what is wrong with it, as a sentence that ends with the fix, or {@code null} if
   *     nothing is
   */
  public static String retentionProblem(Duration retention, String text) {
    if (retention.getSeconds() >= 1 && retention.getNano() == 0) {
      return null;
    }
    return "\"" + text.trim() + "\" is not a whole number of seconds of at least 1 s, which is how"
        + " long Redis keeps a bucket; use seconds or longer units, as in \"1d\"";
  }
}
