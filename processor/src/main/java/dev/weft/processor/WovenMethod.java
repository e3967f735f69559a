package dev.weft.processor;

import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.Name;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/** What every Weft method annotation needs of its method: a method with a body to weave into. */
final class WovenMethod {

  private WovenMethod() {}

  /**
   * Warns when the annotation cannot take effect: on something other than a method (then nothing
   * more is checked), or on an abstract or native method (whose attributes are still checked).
   *
   * @param site the annotation and its method, not {@code null}
   * @return whether the element is a method, so its attributes are worth checking
   */
  static boolean check(AnnotationSite site) {
    ExecutableElement method = site.method();
    if (method.getKind() != ElementKind.METHOD) {
      site.warning(
          site.subject() + " has no effect: only methods are woven; remove " + site.name());
      return false;
    }
    Set<Modifier> modifiers = method.getModifiers();
    if (modifiers.contains(Modifier.ABSTRACT) || modifiers.contains(Modifier.NATIVE)) {
      site.warning(
          site.subject()
              + " has no effect: the method is "
              + (modifiers.contains(Modifier.NATIVE) ? "native" : "abstract")
              + " and Weft weaves only method bodies; put "
              + site.name()
              + " on the implementing method");
    }
    return true;
  }

  /**
   * The type of what is stored for a method, and what {@code {result}} names: for a return type
   * that is exactly {@code CompletableFuture<T>} or {@code CompletionStage<T>}, the {@code T} it
   * completes with ({@code Object} when raw); for any other return type (subtypes of those two and
   * {@code Optional} included) the return type itself. weft-core's {@code ResultShape} decides the
   * same way.
   *
   * @param returnType a method's declared return type, not {@code null}
   * @param elements the compiler's element utilities, not {@code null}
   * @return the value type, never {@code null}
   */
  static TypeMirror valueType(TypeMirror returnType, Elements elements) {
    if (returnType.getKind() != TypeKind.DECLARED) {
      return returnType;
    }
    DeclaredType declared = (DeclaredType) returnType;
    Name name = ((TypeElement) declared.asElement()).getQualifiedName();
    if (!name.contentEquals("java.util.concurrent.CompletableFuture")
        && !name.contentEquals("java.util.concurrent.CompletionStage")) {
      return returnType;
    }
    if (declared.getTypeArguments().isEmpty()) {
      return elements.getTypeElement("java.lang.Object").asType();
    }
    return declared.getTypeArguments().get(0);
  }

  /**
   * @param type a method's return type, not {@code null}
   * @return whether it returns no value: {@code void} or {@code java.lang.Void}
   */
  static boolean returnsNothing(TypeMirror type) {
    if (type.getKind() == TypeKind.VOID) {
      return true;
    }
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement())
            .getQualifiedName()
            .contentEquals("java.lang.Void");
  }
}
