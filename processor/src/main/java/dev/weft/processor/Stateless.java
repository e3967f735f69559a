package dev.weft.processor;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Finds types whose values have no readable state, which a key cannot tell apart: weft-core
 * renders a non-scalar key value from its instance fields (any visibility, Jackson annotations
 * ignored) and refuses one without any at run time; this finds the same types at compile time.
 *
 * <p>A type has no readable state when it is a concrete class (not an interface, an abstract
 * class, an enum or a record) outside {@code java.*} and {@code javax.*} (whose types, boxed
 * values, strings, {@code java.time}, {@code UUID}, collections, maps and {@code Optional} among
 * them, are rendered by what they hold) with no instance field, transient ones aside, in its
 * class or any superclass below {@code Object}. Arrays, primitives and type variables always
 * pass.
 */
final class Stateless {

  private Stateless() {}

  /**
   * @param type a declared type of a value rendered into a key, not {@code null}
   * @return whether its values have no readable state
   */
  static boolean is(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return false;
    }
    TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
    if (element.getKind() != ElementKind.CLASS
        || element.getModifiers().contains(Modifier.ABSTRACT)
        || isPlatform(element)) {
      return false;
    }
    TypeElement current = element;
    for (int depth = 0; depth < 64 && current != null && !isPlatform(current); depth++) {
      for (Element member : current.getEnclosedElements()) {
        if (member.getKind() == ElementKind.FIELD
            && !member.getModifiers().contains(Modifier.STATIC)
            && !member.getModifiers().contains(Modifier.TRANSIENT)) {
          return false;
        }
      }
      TypeMirror superclass = current.getSuperclass();
      current = superclass.getKind() == TypeKind.DECLARED
          ? (TypeElement) ((DeclaredType) superclass).asElement()
          : null;
    }
    return true;
  }

  private static boolean isPlatform(TypeElement element) {
    String name = element.getQualifiedName().toString();
    return name.startsWith("java.") || name.startsWith("javax.");
  }
}
