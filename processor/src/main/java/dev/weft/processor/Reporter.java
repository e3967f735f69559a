package dev.weft.processor;

import java.util.Objects;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/**
 * The one way the processor talks to the user. Every message carries the element it is about, so
 * javac prints file and line; when the annotation and the attribute value are known they are
 * passed too, and javac points at the attribute itself. An annotation held in an implicit
 * container (a repeated {@code @Invalidate}, {@code @RateLimited} or {@code @Counted}) is located
 * through {@link ContainedPositions}, since the Messager cannot find it.
 */
final class Reporter {

  private final Messager messager;
  private final ContainedPositions contained;

  /**
   * @param messager where messages go, not {@code null}
   * @param contained how to point at annotations in implicit containers, or {@code null} when the
   *     compiler offers no way (messages about them then point at the method)
   */
  Reporter(Messager messager, ContainedPositions contained) {
    this.messager = messager;
    this.contained = contained;
  }

  /**
   * Reports an error; compilation fails, and the processor goes on checking.
   *
   * @param element the annotated element, not {@code null}
   * @param annotation the annotation, directly on the element or inside a container on it, or
   *     {@code null} to point at the element
   * @param value the attribute value (or array entry) as written, or {@code null} to point at the
   *     annotation
   * @param message what is wrong, on which attribute, and what would be right
   */
  void error(Element element, AnnotationMirror annotation, AnnotationValue value, String message) {
    print(Kind.ERROR, element, annotation, value, message);
  }

  /** Reports a warning; same arguments as {@link #error}. */
  void warning(Element element, AnnotationMirror annotation, AnnotationValue value, String message) {
    print(Kind.WARNING, element, annotation, value, message);
  }

  private void print(
      Kind kind, Element element, AnnotationMirror annotation, AnnotationValue value, String message) {
    Objects.requireNonNull(element, "a message needs the element it is about");
    if (annotation == null) {
      messager.printMessage(kind, message, element);
      return;
    }
    if (contained != null
        && !isDirect(element, annotation)
        && contained.print(kind, message, element, annotation, value)) {
      return;
    }
    if (value == null) {
      messager.printMessage(kind, message, element, annotation);
    } else {
      messager.printMessage(kind, message, element, annotation, value);
    }
  }

  private static boolean isDirect(Element element, AnnotationMirror annotation) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (mirror == annotation) {
        return true;
      }
    }
    return false;
  }
}
