package dev.weft.processor;

import dev.weft.internal.syntax.DurationSyntax;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * The checks for {@code @Cached}: the method returns something, has a body, and its {@code key}
 * and {@code ttl} are what the runtime accepts.
 */
final class CachedCheck {

  private final Reporter reporter;
  private final TemplateCheck templates;

  CachedCheck(Reporter reporter, TemplateCheck templates) {
    this.reporter = reporter;
    this.templates = templates;
  }

  /**
   * Reports every problem of one {@code @Cached} method.
   *
   * @param method the annotated element, not {@code null}
   * @param cached its {@code @Cached} annotation, not {@code null}
   */
  void check(ExecutableElement method, AnnotationMirror cached) {
    String described = Describe.method(method);
    if (method.getKind() != ElementKind.METHOD) {
      reporter.warning(
          method,
          cached,
          null,
          "@Cached on " + described + " has no effect: only methods are woven; remove @Cached");
      return;
    }
    if (returnsNothing(method.getReturnType())) {
      reporter.error(
          method,
          cached,
          null,
          "@Cached on "
              + described
              + " has nothing to cache (it returns "
              + Describe.type(method.getReturnType())
              + "); remove @Cached or return the value");
    }
    Set<Modifier> modifiers = method.getModifiers();
    if (modifiers.contains(Modifier.ABSTRACT) || modifiers.contains(Modifier.NATIVE)) {
      reporter.warning(
          method,
          cached,
          null,
          "@Cached on "
              + described
              + " has no effect: the method is "
              + (modifiers.contains(Modifier.NATIVE) ? "native" : "abstract")
              + " and Weft weaves only method bodies; put @Cached on the implementing method");
    }

    Attribute key = Attribute.of(cached, "key");
    if (key.text() != null && !key.text().isEmpty()) {
      templates.check(method, cached, key.written(), "@Cached(key)", key.text());
    }

    Attribute ttl = Attribute.of(cached, "ttl");
    if (ttl.text() != null) {
      try {
        DurationSyntax.parsePositive(ttl.text());
      } catch (IllegalArgumentException e) {
        String message = e.getMessage();
        if (!message.contains(DurationSyntax.ACCEPTED_FORMS)) {
          message = message + "; use " + DurationSyntax.ACCEPTED_FORMS;
        }
        reporter.error(method, cached, ttl.written(), "@Cached(ttl) on " + described + ": " + message);
      }
    }
  }

  private static boolean returnsNothing(TypeMirror type) {
    if (type.getKind() == TypeKind.VOID) {
      return true;
    }
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement())
            .getQualifiedName()
            .contentEquals("java.lang.Void");
  }

  /**
   * A string attribute of an annotation.
   *
   * @param written the value as written in the source, or {@code null} when the default applies
   * @param text the effective string, or {@code null} when it is not a usable string (for
   *     example an unresolved constant, which javac reports itself)
   */
  record Attribute(AnnotationValue written, String text) {

    static Attribute of(AnnotationMirror annotation, String name) {
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
          annotation.getElementValues().entrySet()) {
        if (entry.getKey().getSimpleName().contentEquals(name)) {
          return new Attribute(entry.getValue(), string(entry.getValue()));
        }
      }
      for (ExecutableElement element :
          ElementFilter.methodsIn(annotation.getAnnotationType().asElement().getEnclosedElements())) {
        if (element.getSimpleName().contentEquals(name)) {
          return new Attribute(null, string(element.getDefaultValue()));
        }
      }
      return new Attribute(null, null);
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
}
