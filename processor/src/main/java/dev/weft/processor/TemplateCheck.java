package dev.weft.processor;

import dev.weft.internal.syntax.TemplateSyntax;
import dev.weft.internal.syntax.TemplateSyntax.Part;
import dev.weft.internal.syntax.TemplateSyntax.Placeholder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Checks a key template against the method it annotates: the template parses, every {@code {name}}
 * names a parameter, every {@code {0}} is in range, and every property path resolves on the
 * declared types (see {@link PropertyLookup} for the rules). Each problem is one error on the
 * attribute (the same problem twice in one template is reported once); the check goes on with the
 * next placeholder.
 */
final class TemplateCheck {

  private final Reporter reporter;
  private final PropertyLookup properties;

  TemplateCheck(Reporter reporter, PropertyLookup properties) {
    this.reporter = reporter;
    this.properties = properties;
  }

  /**
   * @param method the annotated method, not {@code null}
   * @param annotation the annotation, not {@code null}
   * @param value the attribute's value as written, or {@code null} when it is the default
   * @param attribute how messages name the attribute, such as {@code "@Cached(key)"}
   * @param template the template text, not {@code null}
   */
  void check(
      ExecutableElement method,
      AnnotationMirror annotation,
      AnnotationValue value,
      String attribute,
      String template) {
    String prefix = attribute + " on " + Describe.method(method) + ": ";
    List<Part> parts;
    try {
      parts = TemplateSyntax.parse(template);
    } catch (IllegalArgumentException e) {
      reporter.error(method, annotation, value, prefix + e.getMessage());
      return;
    }
    List<? extends VariableElement> parameters = method.getParameters();
    List<String> names = new ArrayList<>();
    for (VariableElement parameter : parameters) {
      names.add(parameter.getSimpleName().toString());
    }
    Set<String> problems = new LinkedHashSet<>();
    for (Part part : parts) {
      if (part instanceof Placeholder) {
        String problem = problem((Placeholder) part, method, parameters, names);
        if (problem != null) {
          problems.add(problem);
        }
      }
    }
    for (String problem : problems) {
      reporter.error(method, annotation, value, prefix + problem);
    }
  }

  /** @return what is wrong with the placeholder, or {@code null} if nothing is */
  private String problem(
      Placeholder placeholder,
      ExecutableElement method,
      List<? extends VariableElement> parameters,
      List<String> names) {
    VariableElement parameter;
    if (placeholder.byPosition()) {
      int position = placeholder.position();
      if (position >= parameters.size()) {
        return "{" + placeholder.source() + "} is out of range: " + range(method, parameters);
      }
      parameter = parameters.get(position);
    } else {
      int index = names.indexOf(placeholder.parameter());
      if (index < 0) {
        return "no parameter named '"
            + placeholder.parameter()
            + "'; available: "
            + Describe.list(names)
            + didYouMean(placeholder.parameter(), names);
      }
      parameter = parameters.get(index);
    }
    return pathProblem(placeholder, parameter);
  }

  private String pathProblem(Placeholder placeholder, VariableElement parameter) {
    TypeMirror current = parameter.asType();
    StringBuilder reached =
        new StringBuilder(
            placeholder.byPosition()
                ? String.valueOf(placeholder.position())
                : placeholder.parameter());
    for (String segment : placeholder.path()) {
      PropertyLookup.Step step = properties.read(current, segment);
      switch (step.outcome()) {
        case UNKNOWN:
          return null;
        case SCALAR:
          return "cannot resolve '"
              + segment
              + "' in {"
              + placeholder.source()
              + "}: "
              + step.problem()
              + "; end the placeholder at {"
              + reached
              + "}";
        case MISSING:
          String message =
              "cannot resolve '"
                  + segment
                  + "' in {"
                  + placeholder.source()
                  + "}: "
                  + step.problem();
          if (step.available().isEmpty()) {
            return message
                + ", which has no readable properties (public getters, record components or"
                + " public fields); end the placeholder at {"
                + reached
                + "}";
          }
          return message
              + "; readable properties: "
              + Describe.list(step.available())
              + didYouMean(segment, step.available());
        default:
          current = step.type();
          reached.append('.').append(segment);
      }
    }
    return null;
  }

  private static String range(ExecutableElement method, List<? extends VariableElement> parameters) {
    String described = Describe.method(method);
    switch (parameters.size()) {
      case 0:
        return described + " has no parameters, so no position is valid";
      case 1:
        return described + " has 1 parameter, so the only position is {0}";
      default:
        return described
            + " has "
            + parameters.size()
            + " parameters, so positions run from {0} to {"
            + (parameters.size() - 1)
            + "}";
    }
  }

  private static String didYouMean(String wrong, List<String> candidates) {
    Optional<String> closest = Suggestions.closest(wrong, candidates);
    return closest.map(name -> ". Did you mean '" + name + "'?").orElse("");
  }
}
