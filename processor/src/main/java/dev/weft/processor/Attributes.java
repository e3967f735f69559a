package dev.weft.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * Reads annotation attributes from an {@link AnnotationMirror}, keeping the value as written so
 * that messages can point at it.
 */
final class Attributes {

  private Attributes() {}

  /**
   * A string attribute, or one entry of a string-array attribute.
   *
   * @param written the value as written in the source, or {@code null} when the default applies
   *     (messages then point at the annotation)
   * @param text the effective string, or {@code null} when it is not a usable string (for example
   *     an unresolved constant, which javac reports itself)
   */
  record Text(AnnotationValue written, String text) {}

  /**
   * @param annotation the annotation, not {@code null}
   * @param name the attribute's name
   * @return the attribute, written or default, never {@code null}
   */
  static Text string(AnnotationMirror annotation, String name) {
    AnnotationValue written = written(annotation, name);
    if (written != null) {
      return new Text(written, string(written));
    }
    return new Text(null, string(defaultValue(annotation, name)));
  }

  /**
   * @param annotation the annotation, not {@code null}
   * @param name the name of a {@code String[]} attribute
   * @return its entries in order, written or default, never {@code null}; entries of a default
   *     have no written value
   */
  static List<Text> strings(AnnotationMirror annotation, String name) {
    AnnotationValue written = written(annotation, name);
    List<Text> texts = new ArrayList<>();
    if (written != null) {
      for (AnnotationValue entry : entries(written)) {
        texts.add(new Text(entry, string(entry)));
      }
    } else {
      for (AnnotationValue entry : entries(defaultValue(annotation, name))) {
        texts.add(new Text(null, string(entry)));
      }
    }
    return texts;
  }

  /**
   * @param annotation the annotation, not {@code null}
   * @param name the name of a {@code boolean} attribute
   * @return its effective value; {@code false} when it cannot be read
   */
  static boolean flag(AnnotationMirror annotation, String name) {
    AnnotationValue value = written(annotation, name);
    if (value == null) {
      value = defaultValue(annotation, name);
    }
    return value != null && Boolean.TRUE.equals(value.getValue());
  }

  /**
   * @param annotation the annotation, not {@code null}
   * @param name the name of a {@code long} (or other integral) attribute
   * @return its effective value, or {@code null} when it cannot be read (an unresolved constant,
   *     which javac reports itself)
   */
  static Long number(AnnotationMirror annotation, String name) {
    AnnotationValue value = written(annotation, name);
    if (value == null) {
      value = defaultValue(annotation, name);
    }
    if (value == null
        || !(value.getValue() instanceof Number)
        || value.getValue() instanceof Float
        || value.getValue() instanceof Double) {
      return null;
    }
    return ((Number) value.getValue()).longValue();
  }

  /**
   * @param annotation the annotation, not {@code null}
   * @param name the name of an enum attribute
   * @return the simple name of its effective constant, such as {@code "GCRA"}, or {@code null}
   *     when it cannot be read
   */
  static String constant(AnnotationMirror annotation, String name) {
    AnnotationValue value = written(annotation, name);
    if (value == null) {
      value = defaultValue(annotation, name);
    }
    if (value == null || !(value.getValue() instanceof VariableElement)) {
      return null;
    }
    return ((VariableElement) value.getValue()).getSimpleName().toString();
  }

  /**
   * @param annotation the annotation, not {@code null}
   * @param name the attribute's name
   * @return the value as written in the source, or {@code null} when the default applies
   */
  static AnnotationValue written(AnnotationMirror annotation, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        annotation.getElementValues().entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(name)) {
        return entry.getValue();
      }
    }
    return null;
  }

  /**
   * @param annotation a container annotation such as {@code @Invalidate.List}, not {@code null}
   * @return the annotations held in its {@code value}, in source order, never {@code null}
   */
  static List<AnnotationMirror> contained(AnnotationMirror annotation) {
    List<AnnotationMirror> contained = new ArrayList<>();
    for (AnnotationValue entry : entries(written(annotation, "value"))) {
      if (entry.getValue() instanceof AnnotationMirror) {
        contained.add((AnnotationMirror) entry.getValue());
      }
    }
    return contained;
  }

  private static AnnotationValue defaultValue(AnnotationMirror annotation, String name) {
    for (ExecutableElement element :
        ElementFilter.methodsIn(annotation.getAnnotationType().asElement().getEnclosedElements())) {
      if (element.getSimpleName().contentEquals(name)) {
        return element.getDefaultValue();
      }
    }
    return null;
  }

  /** The entries of an array value; a value that is not an array reads as one entry. */
  private static List<AnnotationValue> entries(AnnotationValue value) {
    List<AnnotationValue> entries = new ArrayList<>();
    if (value == null) {
      return entries;
    }
    if (value.getValue() instanceof List) {
      for (Object entry : (List<?>) value.getValue()) {
        if (entry instanceof AnnotationValue) {
          entries.add((AnnotationValue) entry);
        }
      }
    } else {
      entries.add(value);
    }
    return entries;
  }

  /*
   * javac represents an attribute whose expression did not resolve (ttl = NO_SUCH_CONSTANT) as a
   * value that reads as the string "<error>" and prints without quotes; a real string constant
   * prints quoted. Such a value is skipped: javac already reports the missing symbol.
   */
  private static String string(AnnotationValue value) {
    if (value == null || !(value.getValue() instanceof String)) {
      return null;
    }
    if ("<error>".equals(value.toString())) {
      return null;
    }
    return (String) value.getValue();
  }
}
