package dev.weft.processor;

import java.util.List;
import java.util.StringJoiner;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;

/** Short, readable renderings of methods and types for messages: {@code find(long, List<Order>)}. */
final class Describe {

  private Describe() {}

  /**
   * @param method a method or constructor, not {@code null}
   * @return its simple name and simple parameter types, such as {@code find(long, String[])}
   */
  static String method(ExecutableElement method) {
    String name =
        method.getKind() == ElementKind.CONSTRUCTOR
            ? method.getEnclosingElement().getSimpleName().toString()
            : method.getSimpleName().toString();
    StringJoiner params = new StringJoiner(", ", name + "(", ")");
    List<? extends VariableElement> parameters = method.getParameters();
    for (int i = 0; i < parameters.size(); i++) {
      String type = type(parameters.get(i).asType());
      if (method.isVarArgs() && i == parameters.size() - 1 && type.endsWith("[]")) {
        type = type.substring(0, type.length() - 2) + "...";
      }
      params.add(type);
    }
    return params.toString();
  }

  /**
   * @param type any type, not {@code null}
   * @return the type with simple class names, such as {@code Map<String, Order>}
   */
  static String type(TypeMirror type) {
    switch (type.getKind()) {
      case ARRAY:
        return type(((ArrayType) type).getComponentType()) + "[]";
      case DECLARED:
        DeclaredType declared = (DeclaredType) type;
        String simple = declared.asElement().getSimpleName().toString();
        if (declared.getTypeArguments().isEmpty()) {
          return simple;
        }
        StringJoiner args = new StringJoiner(", ", simple + "<", ">");
        for (TypeMirror arg : declared.getTypeArguments()) {
          args.add(type(arg));
        }
        return args.toString();
      case TYPEVAR:
        return ((TypeVariable) type).asElement().getSimpleName().toString();
      case WILDCARD:
        WildcardType wildcard = (WildcardType) type;
        if (wildcard.getExtendsBound() != null) {
          return "? extends " + type(wildcard.getExtendsBound());
        }
        if (wildcard.getSuperBound() != null) {
          return "? super " + type(wildcard.getSuperBound());
        }
        return "?";
      default:
        return type.toString();
    }
  }

  /**
   * @param names names to list, not {@code null}
   * @return the names joined by {@code ", "}, or {@code "none"} when there are none
   */
  static String list(List<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
