package dev.weft.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.IntersectionType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/*
 * Property rules
 *
 * One step of a key path such as {order.customer.id} reads a property named p from a value whose
 * declared type is T. The runtime must apply the same rules, in the same order:
 *
 *   1. a getter:             public, non-static, no parameters, non-void, named "get" + P
 *   2. a boolean getter:     public, non-static, no parameters, returning primitive boolean,
 *                            named "is" + P
 *   3. a record component:   T is a record with a component p (read through its accessor p())
 *   4. a public field:       public, non-static, named p
 *
 * where P is p with its first character upper-cased (Character.toUpperCase), and members
 * declared by java.lang.Object do not count (so "class" is not a property). Inherited members
 * count. The first rule that matches decides the type of the next step, as declared on T with
 * T's type arguments applied (Box<User>.getValue() is a User). A type variable or wildcard is
 * read through its upper bound (every bound of an intersection); arrays and primitives have no
 * properties. Unresolved (error) types are skipped: javac reports them itself.
 */

/**
 * Resolves one step of a property path on a declared type; see the rules in the block comment at
 * the top of this file.
 */
final class PropertyLookup {

  /** How a lookup ended. */
  enum Outcome {
    /** The property exists; {@link Step#type()} is its type. */
    FOUND,
    /** The type is unresolved or not checkable; stop checking this path without a message. */
    UNKNOWN,
    /** The type has no such property; {@link Step#problem()} says so. */
    MISSING,
    /** The value is a primitive or an array, which have no properties at all. */
    SCALAR
  }

  /**
   * The result of one lookup.
   *
   * @param outcome how it ended, never {@code null}
   * @param type the property's type when found, else {@code null}
   * @param problem when missing, what is wrong, as a sentence fragment; else {@code null}
   * @param available when missing, the readable properties of the type, sorted; else empty
   */
  record Step(Outcome outcome, TypeMirror type, String problem, List<String> available) {

    static Step found(TypeMirror type) {
      return new Step(Outcome.FOUND, type, null, List.of());
    }

    static Step unknown() {
      return new Step(Outcome.UNKNOWN, null, null, List.of());
    }

    static Step missing(String problem, List<String> available) {
      return new Step(Outcome.MISSING, null, problem, available);
    }

    static Step scalar(String problem) {
      return new Step(Outcome.SCALAR, null, problem, List.of());
    }
  }

  private final Elements elements;
  private final Types types;

  PropertyLookup(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /**
   * Reads property {@code name} from a value of type {@code owner}.
   *
   * @param owner the declared type of the value, not {@code null}
   * @param name the property name, a Java identifier
   * @return the outcome, never {@code null}
   */
  Step read(TypeMirror owner, String name) {
    TypeMirror bound = upperBound(owner);
    List<DeclaredType> targets = new ArrayList<>();
    switch (bound.getKind()) {
      case DECLARED:
        targets.add((DeclaredType) bound);
        break;
      case INTERSECTION:
        for (TypeMirror each : ((IntersectionType) bound).getBounds()) {
          TypeMirror eachBound = upperBound(each);
          if (eachBound.getKind() != TypeKind.DECLARED) {
            return Step.unknown();
          }
          targets.add((DeclaredType) eachBound);
        }
        break;
      case ARRAY:
        return Step.scalar("an array (" + Describe.type(owner) + ") has no properties");
      default:
        if (bound.getKind().isPrimitive()) {
          return Step.scalar("a primitive (" + bound + ") has no properties");
        }
        return Step.unknown();
    }
    Set<String> available = new TreeSet<>();
    for (DeclaredType target : targets) {
      TypeMirror found = find(target, name);
      if (found != null) {
        return Step.found(found);
      }
      available.addAll(propertiesOf(target));
    }
    return Step.missing(
        "no property '" + name + "' on " + describeOwner(owner, bound), List.copyOf(available));
  }

  private TypeMirror find(DeclaredType owner, String name) {
    TypeElement type = (TypeElement) owner.asElement();
    List<? extends Element> members = elements.getAllMembers(type);
    String capitalized = capitalize(name);
    ExecutableElement getter = null;
    ExecutableElement booleanGetter = null;
    for (ExecutableElement method : ElementFilter.methodsIn(members)) {
      if (!isReadable(method)) {
        continue;
      }
      String methodName = method.getSimpleName().toString();
      if (methodName.equals("get" + capitalized)) {
        getter = method;
      } else if (methodName.equals("is" + capitalized)
          && method.getReturnType().getKind() == TypeKind.BOOLEAN) {
        booleanGetter = method;
      }
    }
    if (getter != null) {
      return returnType(owner, getter);
    }
    if (booleanGetter != null) {
      return returnType(owner, booleanGetter);
    }
    if (type.getKind() == ElementKind.RECORD) {
      for (RecordComponentElement component :
          ElementFilter.recordComponentsIn(type.getEnclosedElements())) {
        if (component.getSimpleName().contentEquals(name) && component.getAccessor() != null) {
          return returnType(owner, component.getAccessor());
        }
      }
    }
    for (VariableElement field : ElementFilter.fieldsIn(members)) {
      if (field.getSimpleName().contentEquals(name) && isReadable(field)) {
        return memberType(owner, field);
      }
    }
    return null;
  }

  /**
   * @param owner a declared type, not {@code null}
   * @return the names readable by the rules above, sorted
   */
  private Set<String> propertiesOf(DeclaredType owner) {
    TypeElement type = (TypeElement) owner.asElement();
    List<? extends Element> members = elements.getAllMembers(type);
    Set<String> names = new TreeSet<>();
    for (ExecutableElement method : ElementFilter.methodsIn(members)) {
      if (!isReadable(method)) {
        continue;
      }
      String methodName = method.getSimpleName().toString();
      if (methodName.startsWith("get")) {
        addProperty(names, methodName.substring(3));
      } else if (methodName.startsWith("is")
          && method.getReturnType().getKind() == TypeKind.BOOLEAN) {
        addProperty(names, methodName.substring(2));
      }
    }
    if (type.getKind() == ElementKind.RECORD) {
      for (RecordComponentElement component :
          ElementFilter.recordComponentsIn(type.getEnclosedElements())) {
        names.add(component.getSimpleName().toString());
      }
    }
    for (VariableElement field : ElementFilter.fieldsIn(members)) {
      if (isReadable(field)) {
        names.add(field.getSimpleName().toString());
      }
    }
    return names;
  }

  /** Adds the property a getter suffix names, if looking that property up finds the getter. */
  private static void addProperty(Set<String> names, String suffix) {
    if (suffix.isEmpty()) {
      return;
    }
    String property = decapitalize(suffix);
    if (capitalize(property).equals(suffix)) {
      names.add(property);
    }
  }

  private boolean isReadable(ExecutableElement method) {
    return method.getModifiers().contains(Modifier.PUBLIC)
        && !method.getModifiers().contains(Modifier.STATIC)
        && method.getParameters().isEmpty()
        && method.getReturnType().getKind() != TypeKind.VOID
        && !declaredByObject(method);
  }

  private static boolean isReadable(VariableElement field) {
    return field.getModifiers().contains(Modifier.PUBLIC)
        && !field.getModifiers().contains(Modifier.STATIC);
  }

  private static boolean declaredByObject(Element member) {
    Element owner = member.getEnclosingElement();
    return owner instanceof TypeElement
        && ((TypeElement) owner).getQualifiedName().contentEquals("java.lang.Object");
  }

  private TypeMirror returnType(DeclaredType owner, ExecutableElement method) {
    TypeMirror asMember = memberType(owner, method);
    return asMember instanceof ExecutableType
        ? ((ExecutableType) asMember).getReturnType()
        : method.getReturnType();
  }

  private TypeMirror memberType(DeclaredType owner, Element member) {
    try {
      return types.asMemberOf(owner, member);
    } catch (IllegalArgumentException e) {
      return member.asType();
    }
  }

  /** Follows type variables and wildcards to the type whose members can be read. */
  private TypeMirror upperBound(TypeMirror type) {
    TypeMirror current = type;
    for (int guard = 0; guard < 32; guard++) {
      if (current.getKind() == TypeKind.TYPEVAR) {
        current = ((TypeVariable) current).getUpperBound();
      } else if (current.getKind() == TypeKind.WILDCARD) {
        TypeMirror extendsBound = ((WildcardType) current).getExtendsBound();
        current =
            extendsBound != null
                ? extendsBound
                : elements.getTypeElement("java.lang.Object").asType();
      } else {
        return current;
      }
    }
    return current;
  }

  private static String describeOwner(TypeMirror owner, TypeMirror bound) {
    String boundName = qualified(bound);
    if (owner.getKind() == TypeKind.TYPEVAR || owner.getKind() == TypeKind.WILDCARD) {
      return Describe.type(owner) + " (bounded by " + boundName + ")";
    }
    return boundName;
  }

  private static String qualified(TypeMirror type) {
    if (type.getKind() == TypeKind.DECLARED) {
      return ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().toString();
    }
    if (type.getKind() == TypeKind.INTERSECTION) {
      List<String> parts = new ArrayList<>();
      for (TypeMirror each : ((IntersectionType) type).getBounds()) {
        parts.add(qualified(each));
      }
      return String.join(" & ", parts);
    }
    return type.toString();
  }

  private static String capitalize(String name) {
    return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /** JavaBeans decapitalization: {@code Name → name}, but {@code URL → URL}. */
  private static String decapitalize(String suffix) {
    if (suffix.length() > 1
        && Character.isUpperCase(suffix.charAt(0))
        && Character.isUpperCase(suffix.charAt(1))) {
      return suffix;
    }
    return Character.toLowerCase(suffix.charAt(0)) + suffix.substring(1);
  }
}
