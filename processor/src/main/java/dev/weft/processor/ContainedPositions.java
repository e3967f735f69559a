package dev.weft.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/*
 * Why this class exists
 *
 * A repeated annotation (@Invalidate written twice) reaches a processor only inside its
 * container: the method's mirrors hold one @Invalidate.List whose value holds the two @Invalidate.
 * The source holds no @Invalidate.List, and javac's Messager (as of JDK 17) cannot match such a
 * contained mirror, or a value inside it, to a tree: it falls back to the method, so every message
 * about every @Invalidate lands on the same line. When the container is written out,
 * @Invalidate.List({...}), the Messager finds the nested trees itself and this class is not used.
 *
 * With javac's tree API (com.sun.source, exported by jdk.compiler) the position is found by hand:
 * the k-th annotation in the container is the k-th annotation of that type on the method, in
 * source order (javac builds containers in source order); inside it, the attribute is the
 * assignment with that name, and an array entry the initializer at the same index. When anything
 * does not line up (another compiler, a written-out container), print returns false and the
 * Reporter falls back to the Messager, which still names the method.
 *
 * Build tools may hand processors a wrapper around javac's ProcessingEnvironment (Gradle does for
 * incremental processing), which Trees.instance refuses. The wrapper keeps the real environment
 * in a field; of() looks for one field of type ProcessingEnvironment, a few wrappers deep, and
 * gives up quietly when there is none or it cannot be read.
 */

/** Prints messages at annotations held in an implicit container; see the block comment above. */
final class ContainedPositions {

  private final Trees trees;

  private ContainedPositions(Trees trees) {
    this.trees = trees;
  }

  /**
   * @param env the processing environment, not {@code null}
   * @return positions backed by javac's tree API, or {@code null} when the compiler is not javac
   *     (or hides it behind a wrapper)
   */
  static ContainedPositions of(ProcessingEnvironment env) {
    ProcessingEnvironment current = env;
    for (int depth = 0; depth < 4 && current != null; depth++) {
      try {
        return new ContainedPositions(Trees.instance(current));
      } catch (IllegalArgumentException e) {
        current = wrapped(current);
      } catch (LinkageError e) {
        return null; // no jdk.compiler: not javac
      }
    }
    return null;
  }

  /** @return the environment a wrapper delegates to, or {@code null} when none is found */
  private static ProcessingEnvironment wrapped(ProcessingEnvironment wrapper) {
    for (Class<?> type = wrapper.getClass(); type != null; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())
            || !ProcessingEnvironment.class.isAssignableFrom(field.getType())) {
          continue;
        }
        try {
          field.setAccessible(true);
          Object value = field.get(wrapper);
          return value instanceof ProcessingEnvironment && value != wrapper
              ? (ProcessingEnvironment) value
              : null;
        } catch (RuntimeException | IllegalAccessException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * Prints a message at a contained annotation, or at a value inside it.
   *
   * @param element the annotated method, not {@code null}
   * @param annotation an annotation that is not directly on {@code element} but inside a
   *     container that is, not {@code null}
   * @param value a value of {@code annotation} (an attribute or an array entry), or {@code null}
   *     for the annotation itself
   * @return whether the message was printed; {@code false} when the position was not found
   */
  boolean print(
      Diagnostic.Kind kind,
      String message,
      Element element,
      AnnotationMirror annotation,
      AnnotationValue value) {
    try {
      int index = indexInContainer(element, annotation);
      if (index < 0) {
        return false;
      }
      TreePath methodPath = trees.getPath(element);
      if (methodPath == null || !(methodPath.getLeaf() instanceof MethodTree)) {
        return false;
      }
      MethodTree methodTree = (MethodTree) methodPath.getLeaf();
      TreePath modifiers = new TreePath(methodPath, methodTree.getModifiers());
      List<AnnotationTree> sameType = new ArrayList<>();
      for (AnnotationTree tree : methodTree.getModifiers().getAnnotations()) {
        if (isOfType(new TreePath(modifiers, tree), annotation)) {
          sameType.add(tree);
        }
      }
      List<? extends AnnotationMirror> siblings = siblings(element, annotation);
      if (siblings == null || sameType.size() != siblings.size()) {
        return false;
      }
      AnnotationTree annotationTree = sameType.get(index);
      Tree target = value == null ? annotationTree : valueTree(annotationTree, annotation, value);
      trees.printMessage(kind, message, target, methodPath.getCompilationUnit());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private boolean isOfType(TreePath annotationPath, AnnotationMirror annotation) {
    TypeMirror type = trees.getTypeMirror(annotationPath);
    if (!(type instanceof DeclaredType)) {
      return false;
    }
    return ((TypeElement) ((DeclaredType) type).asElement())
        .getQualifiedName()
        .contentEquals(
            ((TypeElement) annotation.getAnnotationType().asElement()).getQualifiedName());
  }

  /** @return the position of {@code annotation} in the container on {@code element}, or -1 */
  private static int indexInContainer(Element element, AnnotationMirror annotation) {
    List<? extends AnnotationMirror> siblings = siblings(element, annotation);
    if (siblings == null) {
      return -1;
    }
    for (int i = 0; i < siblings.size(); i++) {
      if (siblings.get(i) == annotation) {
        return i;
      }
    }
    return -1;
  }

  /** @return the annotations in the container that holds {@code annotation}, or {@code null} */
  private static List<? extends AnnotationMirror> siblings(
      Element element, AnnotationMirror annotation) {
    for (AnnotationMirror container : element.getAnnotationMirrors()) {
      List<AnnotationMirror> contained = Attributes.contained(container);
      for (AnnotationMirror each : contained) {
        if (each == annotation) {
          return contained;
        }
      }
    }
    return null;
  }

  /**
   * @return the tree of {@code value} inside {@code annotationTree}: the attribute's expression,
   *     or one initializer of its array; the annotation itself when not found
   */
  private static Tree valueTree(
      AnnotationTree annotationTree, AnnotationMirror annotation, AnnotationValue value) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        annotation.getElementValues().entrySet()) {
      int entryIndex = -1;
      if (entry.getValue() != value) {
        entryIndex = indexIn(entry.getValue(), value);
        if (entryIndex < 0) {
          continue;
        }
      }
      ExpressionTree expression =
          argument(annotationTree, entry.getKey().getSimpleName().toString());
      if (expression == null) {
        return annotationTree;
      }
      if (entryIndex >= 0 && expression instanceof NewArrayTree) {
        List<? extends ExpressionTree> initializers = ((NewArrayTree) expression).getInitializers();
        if (initializers != null && entryIndex < initializers.size()) {
          return initializers.get(entryIndex);
        }
      }
      return expression;
    }
    return annotationTree;
  }

  private static int indexIn(AnnotationValue array, AnnotationValue value) {
    if (!(array.getValue() instanceof List)) {
      return -1;
    }
    List<?> entries = (List<?>) array.getValue();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i) == value) {
        return i;
      }
    }
    return -1;
  }

  private static ExpressionTree argument(AnnotationTree annotationTree, String name) {
    for (ExpressionTree argument : annotationTree.getArguments()) {
      if (argument instanceof AssignmentTree) {
        AssignmentTree assignment = (AssignmentTree) argument;
        if (assignment.getVariable() instanceof IdentifierTree
            && ((IdentifierTree) assignment.getVariable()).getName().contentEquals(name)) {
          return assignment.getExpression();
        }
      } else if (name.equals("value")) {
        return argument;
      }
    }
    return null;
  }
}
