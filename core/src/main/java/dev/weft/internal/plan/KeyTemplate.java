package dev.weft.internal.plan;

import dev.weft.exception.WeftConfigurationException;
import dev.weft.internal.codec.JsonCodec;
import dev.weft.syntax.TemplateSyntax;
import dev.weft.syntax.TemplateSyntax.Literal;
import dev.weft.syntax.TemplateSyntax.Part;
import dev.weft.syntax.TemplateSyntax.Placeholder;
import java.lang.reflect.Method;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A key template compiled against one method: literal text and, for each placeholder, the
 * parameter index and the property path below it. Compiling does all the parsing and reflection;
 * {@link #render} only reads arguments and appends text.
 *
 * <p>Values are rendered as text: strings, numbers, booleans, characters, enums (by name), UUIDs
 * and {@code java.time} values by {@code toString()}; {@code null} as {@code %null}; anything else
 * as compact JSON of its fields (see {@link JsonCodec#toKeyJson}); a value with no readable state
 * is refused at the call with a {@link WeftConfigurationException}, never rendered as {@code {}}.
 * Every value is escaped as {@link KeyText} describes, so the key names one argument tuple, and
 * the finished key is moved out of Weft's namespace and bounded ({@link KeyText#finish}).
 *
 * <p>An empty template means the whole call: {@code com.acme.Users.find(long):[42]}, the
 * declaring class, method name and erased parameter types (so overloads never share a key),
 * then the arguments as a JSON array, escaped like values except for its brackets.
 *
 * <p>{@link #argument()} is the programmatic API's template: the caller's key taken as it is
 * ({@link KeyText#programmatic}).
 */
public final class KeyTemplate {

  private final String source;
  private final Object[] segments; // String literal or Slot
  private final String callPrefix; // non-null for the empty template
  private final String[] names; // the method's parameter names, or null when unknown
  private final Class<?>[] types; // the method's parameter types, or null for argument()
  private final boolean verbatim; // argument(): the caller's key as it is
  private final String site; // where the template is written, for messages
  private final JsonCodec codec;
  // For a template of one parameter placeholder between literals ("product:{sku}"): the key is
  // prefix + text + suffix, so it is rendered without a StringBuilder, and the text alone
  // identifies the key (see placeholderText).
  private final Slot single;
  private final String prefix;
  private final String suffix;

  /** The pseudo-parameter that names the method's return value, where a template allows it. */
  public static final String RESULT = "result";

  /**
   * {@code index} is a parameter position, or {@link #RESULT_INDEX} for the return value;
   * {@code next} is the first code point of the literal that follows, or -1.
   */
  private record Slot(int index, PropertyPath path, String source, int next) {}

  private static final int RESULT_INDEX = -1;

  private KeyTemplate(
      String source, Object[] segments, String callPrefix, String[] names, Class<?>[] types,
      boolean verbatim, String site, JsonCodec codec) {
    this.source = source;
    this.segments = segments;
    this.callPrefix = callPrefix;
    this.names = names;
    this.types = types;
    this.verbatim = verbatim;
    this.site = site;
    this.codec = codec;
    int slots = 0;
    int at = -1;
    for (int i = 0; i < segments.length; i++) {
      if (segments[i] instanceof Slot) {
        slots++;
        at = i;
      }
    }
    if (slots == 1 && ((Slot) segments[at]).index() != RESULT_INDEX) {
      StringBuilder before = new StringBuilder();
      StringBuilder after = new StringBuilder();
      for (int i = 0; i < segments.length; i++) {
        if (i != at) {
          (i < at ? before : after).append((String) segments[i]);
        }
      }
      this.single = (Slot) segments[at];
      this.prefix = before.toString();
      this.suffix = after.toString();
    } else {
      this.single = null;
      this.prefix = null;
      this.suffix = null;
    }
  }

  /**
   * @return a template whose key is the call's first argument, as text; for the programmatic API,
   *     where callers pass the finished key
   */
  public static KeyTemplate argument() {
    return new KeyTemplate(
        "{0}", new Object[] {new Slot(0, PropertyPath.NONE, "0", -1)}, null, null, null, true,
        "the key", JsonCodec.shared());
  }

  /**
   * @param where where the template is written, as in {@code @Cached(key = "...") on
   *     Users.find(long)}, for the message of a value that cannot be rendered
   * @return this template, naming {@code where} in its messages
   */
  public KeyTemplate at(String where) {
    return new KeyTemplate(source, segments, callPrefix, names, types, verbatim, where, codec);
  }

  /**
   * Compiles {@code template} for {@code method}.
   *
   * @param template the template text, not {@code null}; empty means the whole call
   * @param method the annotated method, not {@code null}
   * @param codec renders non-scalar values, not {@code null}
   * @return the compiled template
   * @throws IllegalArgumentException with a message that says what is wrong and what is right
   */
  public static KeyTemplate compile(String template, Method method, JsonCodec codec) {
    return compile(template, method, codec, null);
  }

  /**
   * Compiles {@code template} for {@code method}, optionally allowing {@code {result}}, the
   * method's return value (a parameter actually named {@code result} takes precedence).
   *
   * @param template the template text, not {@code null}; empty means the whole call
   * @param method the annotated method, not {@code null}
   * @param codec renders non-scalar values, not {@code null}
   * @param resultType the type {@code {result}} has (the value type of a future), or {@code null}
   *     when {@code {result}} is not allowed
   * @return the compiled template
   * @throws IllegalArgumentException with a message that says what is wrong and what is right
   */
  public static KeyTemplate compile(
      String template, Method method, JsonCodec codec, java.lang.reflect.Type resultType) {
    return compile(template, method, codec, resultType, -1, null);
  }

  /**
   * Compiles {@code template} with one parameter seen as another type: a bulk method's collection
   * parameter stands for one of its elements.
   *
   * @param template the template text, not {@code null}
   * @param method the annotated method, not {@code null}
   * @param codec renders non-scalar values, not {@code null}
   * @param resultType the type of {@code {result}}, or {@code null} when not allowed
   * @param overridden the position of the parameter whose type is replaced, or -1
   * @param overriddenType the type it is seen as
   * @return the compiled template
   */
  public static KeyTemplate compile(
      String template, Method method, JsonCodec codec, java.lang.reflect.Type resultType,
      int overridden, java.lang.reflect.Type overriddenType) {
    boolean allowResult = resultType != null;
    Class<?>[] types = method.getParameterTypes();
    String site = "the key \"" + template + "\" of " + method.getName();
    if (template.isEmpty()) {
      return new KeyTemplate(
          template, new Object[0], callPrefix(method), ParameterNames.of(method), types, false,
          site, codec);
    }
    List<Part> parts = TemplateSyntax.parse(template);
    String problem = TemplateSyntax.keyProblem(parts);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    String[] names = null;
    List<Object> segments = new ArrayList<>(parts.size());
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        segments.add(literal.text());
        continue;
      }
      Placeholder p = (Placeholder) part;
      int index;
      if (p.byPosition()) {
        index = p.position();
        if (index >= types.length) {
          throw new IllegalArgumentException(
              "'{" + p.source() + "}' refers to parameter " + index + " but the method has "
                  + (types.length == 0
                      ? "no parameters"
                      : types.length + " (positions 0 to " + (types.length - 1) + ")"));
        }
      } else {
        if (names == null) {
          names = ParameterNames.of(method);
          if (names == null) {
            throw new IllegalArgumentException(
                "'{" + p.source() + "}' names a parameter, but the parameter names of this method"
                    + " are not in its class file; compile with 'javac -parameters', add"
                    + " weft-processor to the annotation processor path, or refer to the"
                    + " parameter by position, as in {0}");
          }
        }
        index = Arrays.asList(names).indexOf(p.parameter());
        if (index < 0 && allowResult && RESULT.equals(p.parameter())) {
          PropertyPath path;
          try {
            path =
                PropertyPath.resolve(
                    codec.javaType(resultType), p.path(), codec.typeFactory());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'{" + p.source() + "}': " + e.getMessage(), e);
          }
          segments.add(new Slot(RESULT_INDEX, path, p.source(), -1));
          continue;
        }
        if (index < 0) {
          throw new IllegalArgumentException(
              "no parameter named '" + p.parameter() + "'; available: "
                  + (names.length == 0 ? "(none)" : String.join(", ", names))
                  + (allowResult ? ", and {result} for the return value" : ""));
        }
      }
      PropertyPath path;
      try {
        path =
            PropertyPath.resolve(
                codec.javaType(
                    index == overridden ? overriddenType : method.getGenericParameterTypes()[index]),
                p.path(),
                codec.typeFactory());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'{" + p.source() + "}': " + e.getMessage(), e);
      }
      segments.add(new Slot(index, path, p.source(), -1));
    }
    for (int i = 0; i + 1 < segments.size(); i++) {
      if (segments.get(i) instanceof Slot slot && segments.get(i + 1) instanceof String literal) {
        segments.set(i, new Slot(slot.index(), slot.path(), slot.source(), literal.codePointAt(0)));
      }
    }
    return new KeyTemplate(
        template, segments.toArray(), null, names != null ? names : ParameterNames.of(method),
        types, false, site, codec);
  }

  /**
   * The key a per-method pattern (a rate limit, a lock) applies to for one call: {@code template}
   * rendered, or {@code method} when there is no template or it renders empty, so that an empty
   * key means one limit or lock for the whole method.
   *
   * @param template the key template, or {@code null}
   * @param args the call's arguments, not {@code null}
   * @param method the method as people read it, not empty
   * @return the key, never empty
   */
  public static String renderOr(KeyTemplate template, Object[] args, String method) {
    String key = template == null ? method : template.render(args);
    return key.isEmpty() ? method : key;
  }

  /**
   * @param args the call's arguments, not {@code null}
   * @return the key, never {@code null}
   */
  public String render(Object[] args) {
    return render(args, null);
  }

  /**
   * @param args the call's arguments, not {@code null}
   * @param result the method's return value, for {@code {result}}; may be {@code null}
   * @return the key, never {@code null}
   */
  public String render(Object[] args, Object result) {
    if (verbatim) {
      return KeyText.programmatic(String.valueOf(args[0]));
    }
    return KeyText.finish(rendered(args, result));
  }

  /**
   * Renders a namespace: as {@link #render}, but never hashed, since a namespace is the start of
   * keys; one too long for that is cut to its head ({@link KeyText#namespaceHead}).
   *
   * @param args the call's arguments, not {@code null}
   * @param result the method's return value, may be {@code null}
   * @return the namespace, never {@code null}
   */
  public String renderNamespace(Object[] args, Object result) {
    String text = verbatim ? String.valueOf(args[0]) : rendered(args, result);
    return KeyText.namespaceHead(
        text.startsWith(KeyText.RESERVED) ? "%77" + text.substring(1) : text);
  }

  private String rendered(Object[] args, Object result) {
    if (single != null) {
      String text = text(single, args[single.index()]);
      return prefix.isEmpty() && suffix.isEmpty() ? text : prefix + text + suffix;
    }
    if (callPrefix != null) {
      return callPrefix + callText(args);
    }
    if (segments.length == 1 && segments[0] instanceof String literal) {
      return literal;
    }
    StringBuilder key = new StringBuilder(32);
    for (Object segment : segments) {
      if (segment instanceof String literal) {
        key.append(literal);
      } else {
        Slot slot = (Slot) segment;
        Object root = slot.index() == RESULT_INDEX ? result : args[slot.index()];
        key.append(text(slot, root));
      }
    }
    return key.toString();
  }

  /**
   * @return whether the template is literal text around exactly one parameter placeholder, as in
   *     {@code "product:{sku}"}, {@code "{0}"} or {@code "order:{order.id}:lines"}; then
   *     {@link #placeholderText} identifies a key
   */
  public boolean hasOnePlaceholder() {
    return single != null;
  }

  /**
   * The text the one placeholder renders for a call: the key without the template's literal text
   * around it, which stands for the key one to one; for a key moved out of {@code weft:} or
   * hashed ({@link KeyText#finish}), the whole key, which no escaped text equals. Allocates
   * nothing when the value is a {@code String} with nothing to escape (it is its own text).
   *
   * @param args the call's arguments, not {@code null}
   * @return the placeholder's text, never {@code null}
   * @throws IllegalStateException unless {@link #hasOnePlaceholder()}
   */
  public String placeholderText(Object[] args) {
    if (single == null) {
      throw new IllegalStateException("'" + source + "' has not exactly one placeholder");
    }
    if (verbatim) {
      return render(args);
    }
    String text = text(single, args[single.index()]);
    if (prefix.length() + text.length() + suffix.length() <= KeyText.MAX_LENGTH
        && !reserved(text)) {
      return text;
    }
    // A moved or hashed key holds a raw ':' or "%#", which an escaped value never does.
    return KeyText.finish(prefix + text + suffix);
  }

  /** @return whether prefix + text + suffix starts with {@link KeyText#RESERVED}, unbuilt */
  private boolean reserved(String text) {
    String reserved = KeyText.RESERVED;
    int fromPrefix = Math.min(prefix.length(), reserved.length());
    if (!prefix.regionMatches(0, reserved, 0, fromPrefix)) {
      return false;
    }
    int fromText = Math.min(text.length(), reserved.length() - fromPrefix);
    if (!text.regionMatches(0, reserved, fromPrefix, fromText)) {
      return false;
    }
    int fromSuffix = reserved.length() - fromPrefix - fromText;
    return suffix.length() >= fromSuffix
        && suffix.regionMatches(0, reserved, fromPrefix + fromText, fromSuffix);
  }

  /**
   * The inverse of {@link #placeholderText}: the placeholder's text within a key of this template.
   *
   * @param key a rendered key, not {@code null}
   * @return the text, or {@code null} if {@code key} cannot have been rendered by this template
   * @throws IllegalStateException unless {@link #hasOnePlaceholder()}
   */
  public String placeholderTextOf(String key) {
    if (single == null) {
      throw new IllegalStateException("'" + source + "' has not exactly one placeholder");
    }
    if (verbatim || key.startsWith("%77") || KeyText.isHashed(key)) {
      return key;
    }
    if (key.length() < prefix.length() + suffix.length()
        || !key.startsWith(prefix)
        || !key.endsWith(suffix)) {
      return null;
    }
    return key.substring(prefix.length(), key.length() - suffix.length());
  }

  /** @return the positions of the parameters the template refers to */
  public java.util.Set<Integer> parameters() {
    java.util.Set<Integer> used = new java.util.TreeSet<>();
    for (Object segment : segments) {
      if (segment instanceof Slot slot && slot.index() >= 0) {
        used.add(slot.index());
      }
    }
    return used;
  }

  /** @return the template as written */
  public String source() {
    return source;
  }

  /** A slot's value as it appears in a key: its text, escaped. */
  private String text(Slot slot, Object root) {
    Object value = slot.path().read(root);
    if (value == null) {
      return KeyText.NULL;
    }
    String text;
    if (value instanceof String s) {
      text = s;
    } else if (value instanceof CharSequence
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Character
        || value instanceof UUID
        || value instanceof TemporalAccessor) {
      text = value.toString();
    } else if (value instanceof Enum<?> e) {
      text = e.name();
    } else {
      text = json(value, slot.index(), slot.source());
    }
    return KeyText.escape(text, slot.next(), true);
  }

  /** The arguments of the whole call as a JSON array, escaped but for its brackets. */
  private String callText(Object[] args) {
    StringBuilder json = new StringBuilder(16).append('[');
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(json(args[i], i, null));
    }
    return KeyText.escape(json.append(']').toString(), -1, false);
  }

  private String json(Object value, int index, String placeholder) {
    try {
      return codec.toKeyJson(value);
    } catch (IllegalArgumentException e) {
      String parameter = index == RESULT_INDEX
          ? "the result"
          : "parameter " + (names != null ? "'" + names[index] + "'" : String.valueOf(index))
              + " (" + types[index].getName() + ")";
      String path = placeholder == null ? "" : " at {" + placeholder + "}";
      String example = names != null && index >= 0 ? names[index] : String.valueOf(index);
      throw new WeftConfigurationException(
          site + ": " + parameter + path + " cannot be rendered into the key, because " + e.getMessage()
              + "; give the key a property path to a value with state, as in {" + example
              + ".id}, or a template of scalar properties, so that different arguments never"
              + " share one entry", e);
    }
  }

  private static String callPrefix(Method method) {
    StringBuilder prefix = new StringBuilder(64);
    prefix.append(method.getDeclaringClass().getName()).append('.').append(method.getName());
    prefix.append('(');
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      if (i > 0) {
        prefix.append(',');
      }
      prefix.append(types[i].getSimpleName());
    }
    return prefix.append("):").toString();
  }
}
