package dev.weft.internal.redis;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redaction of Weft: every message Weft creates, every exception it throws (causes
 * included), its health report and its log lines about Redis pass through {@link #redact} or
 * {@link #scrub}, so that no password of a Redis URL is ever shown.
 *
 * <h2>Design</h2>
 *
 * <p><b>Text, not URLs.</b> What must be redacted is rarely a well-formed URL on its own: it is a
 * message that quotes one ({@code Illegal character in authority at index 8: redis://:pa^ss@h}),
 * a list of them ({@code redis://:a@h1,redis://:b@h2}), or a URL that cannot be parsed at all
 * (a raw {@code ^}, {@code %}, {@code @} or space in the password). So {@link #redact} does not
 * parse: it finds each {@code redis}-family scheme ({@code redis://}, {@code rediss://}, {@code
 * redis-sentinel://}, {@code redis-cluster://}, ...) in the text and masks what stands between it
 * and the last {@code @} of that URL, keeping a user name ({@code redis://app:***@host}). A URL
 * ends at white space, a quote or angle bracket, or where the next URL begins. When no {@code @}
 * ends it there but what follows the scheme is not a plain {@code host:port} list (a password
 * with a space in it), the mask runs on to the last {@code @} on the same line, or to the end of
 * the line if there is none: masking a host by mistake costs a little readability, showing
 * a password costs a rotation. Query parameters whose name ends in {@code password}, {@code
 * passwd}, {@code pwd}, {@code secret} or {@code token} are masked too.
 *
 * <p><b>Causes.</b> A message Weft writes is redacted when it is written, but a cause comes from
 * elsewhere (the JDK's URI parser quotes the whole URL). {@link #scrub} returns a throwable
 * unchanged when nothing in its chain needs masking, which is the rule, and otherwise a copy of
 * the chain in which each throwable whose text needed masking is replaced by a {@link
 * RedactedFailure} that keeps its class name, its redacted message and its stack trace (and each
 * throwable above it is copied the same way, since a cause cannot be replaced in place).
 */
public final class Secrets {

  /** What stands in for a secret. */
  public static final String MASK = "***";

  private static final Pattern SCHEME =
      Pattern.compile("(?i)(?<![a-z0-9+.-])rediss?(?:-[a-z]+)?://");

  /** A host, or host:port, list as a URL without credentials has it. */
  private static final Pattern PLAIN_AUTHORITY =
      Pattern.compile(
          "(?:[A-Za-z0-9._~-]*|\\[[0-9A-Fa-f:.]*\\])(?::\\d*)?"
              + "(?:,\\s*(?:[A-Za-z0-9._~-]*|\\[[0-9A-Fa-f:.]*\\])(?::\\d*)?)*"
              + "[),;.:'\\]]*");

  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i)([?&;][A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token)=)[^&#\\s\"'<>]*");

  private static final int MAX_CHAIN = 32;

  private Secrets() {}

  /**
   * @param text any text, may be {@code null}
   * @return {@code text} with the password of every Redis URL in it, and every password-like
   *     query parameter, replaced by {@value #MASK}; {@code null} for {@code null}
   */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String urls = text.contains("://") ? redactUrls(text) : text;
    return urls.indexOf('=') < 0
        ? urls
        : SECRET_PARAMETER.matcher(urls).replaceAll("$1" + Matcher.quoteReplacement(MASK));
  }

  /**
   * As {@link #redact}, for text known to be one URL of any scheme (or none), such as a setting's
   * value: whatever stands before its last {@code @} is masked too when no Redis scheme starts
   * it ({@code http://u:secret@h} becomes {@code http://***@h}).
   *
   * @param url a configured URL, may be {@code null}
   * @return it with its user information masked; {@code null} for {@code null}
   */
  public static String redactUrl(String url) {
    String redacted = redact(url);
    if (redacted == null || SCHEME.matcher(redacted).lookingAt()) {
      return redacted;
    }
    int scheme = redacted.indexOf("://");
    int start = scheme >= 0 ? scheme + 3 : 0;
    int at = redacted.lastIndexOf('@');
    return at < start ? redacted : redacted.substring(0, start) + MASK + redacted.substring(at);
  }

  private static String redactUrls(String text) {
    Matcher scheme = SCHEME.matcher(text);
    if (!scheme.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    int start = scheme.end();
    while (start >= 0) {
      int next = scheme.find(start) ? scheme.start() : text.length();
      int following = next < text.length() ? scheme.end() : -1;
      int end = tokenEnd(text, start, next);
      int at = text.lastIndexOf('@', end - 1);
      if (at < start) {
        int authorityEnd = firstOf(text, start, end, "/?#");
        if (!PLAIN_AUTHORITY.matcher(text.substring(start, authorityEnd)).matches()) {
          int line = lineEnd(text, start, next);
          at = text.lastIndexOf('@', line - 1);
          if (at < start) {
            out.append(text, copied, start).append(MASK);
            copied = line;
          }
        }
      }
      if (at >= start) {
        String userInfo = text.substring(start, at);
        int colon = userInfo.indexOf(':');
        out.append(text, copied, start);
        out.append(colon >= 0 ? userInfo.substring(0, colon) + ":" + MASK : MASK);
        copied = at;
      }
      if (following >= 0 && following < copied) {
        // the mask ran over the next scheme: find the first one after it
        following = scheme.find(copied) ? scheme.end() : -1;
      }
      start = following;
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** @return where a URL starting at {@code start} ends: white space, a quote, or {@code limit} */
  private static int tokenEnd(String text, int start, int limit) {
    for (int i = start; i < limit; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '"' || c == '<' || c == '>') {
        return i;
      }
    }
    return limit;
  }

  private static int lineEnd(String text, int start, int limit) {
    for (int i = start; i < limit; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        return i;
      }
    }
    return limit;
  }

  private static int firstOf(String text, int start, int limit, String chars) {
    for (int i = start; i < limit; i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return limit;
  }

  /**
   * @param failure a throwable, may be {@code null}
   * @return {@code failure} itself when no message in it, its causes or its suppressed
   *     throwables shows a secret; otherwise a copy of the chain with every secret masked (see
   *     Design); {@code null} for {@code null}
   */
  public static Throwable scrub(Throwable failure) {
    return scrub(failure, new IdentityHashMap<>(), 0);
  }

  private static Throwable scrub(Throwable failure, Map<Throwable, Throwable> seen, int depth) {
    if (failure == null) {
      return null;
    }
    Throwable done = seen.get(failure);
    if (done != null) {
      return done;
    }
    seen.put(failure, failure);
    Throwable cause = failure.getCause();
    boolean followCause = cause != null && cause != failure && depth < MAX_CHAIN;
    Throwable scrubbedCause = followCause ? scrub(cause, seen, depth + 1) : null;
    boolean changed = followCause && scrubbedCause != cause;
    Throwable[] suppressed = failure.getSuppressed();
    Throwable[] scrubbedSuppressed = new Throwable[suppressed.length];
    for (int i = 0; i < suppressed.length; i++) {
      scrubbedSuppressed[i] = scrub(suppressed[i], seen, depth + 1);
      changed |= scrubbedSuppressed[i] != suppressed[i];
    }
    String message = failure.getMessage();
    String redacted = redact(message);
    changed |= redacted != null && !redacted.equals(message);
    if (!changed) {
      return failure;
    }
    RedactedFailure copy =
        new RedactedFailure(
            failure instanceof RedactedFailure r ? r.type() : failure.getClass().getName(),
            redacted, scrubbedCause);
    copy.setStackTrace(failure.getStackTrace());
    for (Throwable s : scrubbedSuppressed) {
      copy.addSuppressed(s);
    }
    seen.put(failure, copy);
    return copy;
  }

  /**
   * Stands in for a throwable whose message showed a secret: the same class name (in {@link
   * #toString()} and {@link #type()}), the message redacted, the same stack trace.
   */
  public static final class RedactedFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String type;

    RedactedFailure(String type, String message, Throwable cause) {
      super(message, cause);
      this.type = type;
    }

    /** @return the class name of the throwable this stands in for, never {@code null} */
    public String type() {
      return type;
    }

    @Override
    public String toString() {
      String message = getLocalizedMessage();
      return message != null ? type + ": " + message : type;
    }
  }
}
