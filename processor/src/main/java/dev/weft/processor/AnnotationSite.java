package dev.weft.processor;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;

/*
 * One subject, one location
 *
 * Every message of every check is about one annotation on one method, and begins by naming both
 * the same way, so that a user who meets one message can read them all:
 *
 *   @Cached on find(long) has nothing to cache ...          the annotation as a whole
 *   @Cached(ttl) on find(long): "0s" must be greater ...    one attribute of it
 *
 * and points where javac can show it: at the attribute value when it is written out, else at the
 * annotation (Reporter finds an annotation held in a repeatable container). The checks therefore
 * receive this one object instead of passing the method, the annotation and its name down to
 * each helper and spelling the beginning of each message again.
 */

/**
 * One Weft annotation on one method, as the checks report about it; see the block comment at the
 * top of this file.
 */
final class AnnotationSite {

  private final Reporter reporter;
  private final ExecutableElement method;
  private final AnnotationMirror annotation;
  private final String name;
  private final String described;

  /**
   * @param reporter where messages go, not {@code null}
   * @param method the annotated element, not {@code null}
   * @param annotation the annotation, on the method or inside a container on it, not {@code null}
   * @param name the annotation as messages name it, such as {@code "@Cached"}
   */
  AnnotationSite(
      Reporter reporter, ExecutableElement method, AnnotationMirror annotation, String name) {
    this.reporter = reporter;
    this.method = method;
    this.annotation = annotation;
    this.name = name;
    this.described = Describe.method(method);
  }

  /** @return the annotated element, never {@code null} */
  ExecutableElement method() {
    return method;
  }

  /** @return the annotation, never {@code null} */
  AnnotationMirror annotation() {
    return annotation;
  }

  /** @return the annotation as messages name it, such as {@code "@Cached"} */
  String name() {
    return name;
  }

  /** @return the method as messages name it, such as {@code "find(long)"} */
  String described() {
    return described;
  }

  /** @return the beginning of a message about the annotation: {@code "@Cached on find(long)"} */
  String subject() {
    return name + " on " + described;
  }

  /**
   * @param attribute the attribute's name, such as {@code "ttl"}
   * @return the beginning of a message about one attribute: {@code "@Cached(ttl) on find(long)"}
   */
  String subject(String attribute) {
    return name + "(" + attribute + ") on " + described;
  }

  /** Reports an error on the annotation; compilation fails, and the checks go on. */
  void error(String message) {
    reporter.error(method, annotation, null, message);
  }

  /**
   * Reports an error on an attribute value.
   *
   * @param value the value (or array entry) as written, or {@code null} to point at the annotation
   */
  void error(AnnotationValue value, String message) {
    reporter.error(method, annotation, value, message);
  }

  /**
   * Reports an error on another element of the method, such as one of its parameters.
   *
   * @param element the element the problem is about, not {@code null}
   */
  void error(javax.lang.model.element.Element element, String message) {
    reporter.error(element, null, null, message);
  }

  /** Reports a warning on the annotation. */
  void warning(String message) {
    reporter.warning(method, annotation, null, message);
  }

  /** Reports a warning on an attribute value; see {@link #error(AnnotationValue, String)}. */
  void warning(AnnotationValue value, String message) {
    reporter.warning(method, annotation, value, message);
  }
}
