package dev.weft.processor;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/*
 * Value semantics (the rule behind the @Cached(near = true) warning)
 *
 * With near = true the runtime keeps the deserialized result in the process's memory and hands
 * the same object to every caller in that process. That is safe when callers cannot change it.
 * A declared return type T has value semantics when the first of these that applies says so:
 *
 *   1. T is a primitive, a boxed primitive, String, BigDecimal, BigInteger, UUID, URI, Locale,
 *      Currency, or a type in java.time or below it: yes.
 *   2. T is an enum or a record: yes (a record is a value even if a component is mutable; the
 *      rule stays simple).
 *   3. T is an array, a java.util.Collection, a java.util.Map, or Optional: yes when its component
 *      type (an array) or every type argument (the others) has value semantics; a raw type: yes.
 *   4. T is a type variable or a wildcard: judged by its upper bound.
 *   5. Any other class or interface: yes unless it looks like a mutable bean, that is, unless it or
 *      a superclass (up to, not including, java.lang.Object) has
 *        - a public setter: a public, non-static method with one parameter whose name is "set"
 *          followed by an upper-case letter, declared or inherited; or
 *        - a non-final instance field, of any visibility.
 *      Only the class itself is inspected, not the types of its fields.
 *
 * Anything else (an unresolved type, for example) counts as a value: the warning is for likely
 * mistakes, not for every doubt. Collections and arrays are themselves mutable; rule 3 accepts
 * them because replacing their elements is rare, while setting a bean's field is routine.
 */

/** Decides whether a return type behaves as a value; see the rule at the top of this file. */
final class ValueSemantics {

  /**
   * Why a type is not a value.
   *
   * @param type the simple name of the mutable class, such as {@code Account}
   * @param why what makes it mutable, such as {@code "public setter setEmail"}
   */
  record Mutable(String type, String why) {}

  private static final Set<String> VALUES =
      Set.of(
          "java.lang.String",
          "java.lang.Boolean",
          "java.lang.Byte",
          "java.lang.Short",
          "java.lang.Character",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Float",
          "java.lang.Double",
          "java.math.BigDecimal",
          "java.math.BigInteger",
          "java.util.UUID",
          "java.net.URI",
          "java.util.Locale",
          "java.util.Currency");

  private static final List<String> CONTAINERS =
      List.of("java.util.Collection", "java.util.Map", "java.util.Optional");

  private final Elements elements;
  private final Types types;

  ValueSemantics(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /**
   * @param returnType a method's declared return type, not {@code null}
   * @return the mutable class it is or holds and why; empty when it has value semantics
   */
  Optional<Mutable> mutability(TypeMirror returnType) {
    return mutability(returnType, 0);
  }

  private Optional<Mutable> mutability(TypeMirror type, int depth) {
    if (depth > 16) {
      return Optional.empty();
    }
    switch (type.getKind()) {
      case ARRAY:
        return mutability(((ArrayType) type).getComponentType(), depth + 1);
      case TYPEVAR:
        return mutability(((TypeVariable) type).getUpperBound(), depth + 1);
      case WILDCARD:
        TypeMirror bound = ((WildcardType) type).getExtendsBound();
        return bound == null ? Optional.empty() : mutability(bound, depth + 1);
      case DECLARED:
        return declared((DeclaredType) type, depth);
      default:
        return Optional.empty(); // primitives, unresolved types, intersections
    }
  }

  private Optional<Mutable> declared(DeclaredType type, int depth) {
    TypeElement element = (TypeElement) type.asElement();
    String name = element.getQualifiedName().toString();
    if (VALUES.contains(name)
        || name.startsWith("java.time.")
        || element.getKind() == ElementKind.ENUM
        || element.getKind() == ElementKind.RECORD) {
      return Optional.empty();
    }
    if (isContainer(type)) {
      for (TypeMirror argument : type.getTypeArguments()) {
        Optional<Mutable> problem = mutability(argument, depth + 1);
        if (problem.isPresent()) {
          return problem;
        }
      }
      return Optional.empty();
    }
    return beanProblem(element).map(why -> new Mutable(element.getSimpleName().toString(), why));
  }

  private boolean isContainer(DeclaredType type) {
    TypeMirror erased = types.erasure(type);
    for (String container : CONTAINERS) {
      TypeElement element = elements.getTypeElement(container);
      if (element != null && types.isAssignable(erased, types.erasure(element.asType()))) {
        return true;
      }
    }
    return false;
  }

  /** @return the first public setter or non-final field, described; empty if there is none */
  private Optional<String> beanProblem(TypeElement type) {
    for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      if (isSetter(method)) {
        return Optional.of("public setter " + method.getSimpleName());
      }
    }
    TypeElement current = type;
    while (current != null && !current.getQualifiedName().contentEquals("java.lang.Object")) {
      for (VariableElement field : ElementFilter.fieldsIn(current.getEnclosedElements())) {
        Set<Modifier> modifiers = field.getModifiers();
        if (!modifiers.contains(Modifier.STATIC) && !modifiers.contains(Modifier.FINAL)) {
          return Optional.of(
              "non-final field "
                  + field.getSimpleName()
                  + (current.equals(type) ? "" : " in " + current.getSimpleName()));
        }
      }
      TypeMirror superclass = current.getSuperclass();
      current =
          superclass.getKind() == TypeKind.DECLARED
              ? (TypeElement) ((DeclaredType) superclass).asElement()
              : null;
    }
    return Optional.empty();
  }

  private static boolean isSetter(ExecutableElement method) {
    String name = method.getSimpleName().toString();
    return name.length() > 3
        && name.startsWith("set")
        && Character.isUpperCase(name.charAt(3))
        && method.getParameters().size() == 1
        && method.getModifiers().contains(Modifier.PUBLIC)
        && !method.getModifiers().contains(Modifier.STATIC);
  }
}
