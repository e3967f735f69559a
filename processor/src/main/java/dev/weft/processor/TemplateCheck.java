package dev.weft.processor;

import dev.weft.syntax.TemplateSyntax;
import dev.weft.syntax.TemplateSyntax.Part;
import dev.weft.syntax.TemplateSyntax.Placeholder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/*
 * The {result} placeholder
 *
 * Templates evaluated after the method returns may name its return value as {result}, with a
 * property path below it as for parameters ({result.id}, read by the rules of PropertyLookup).
 * Its type is the method's value type (WovenMethod.valueType, as weft-core's ResultShape): for a
 * return type of exactly CompletableFuture<T> or CompletionStage<T> the T it completes with, else
 * the declared return type itself (Optional<T> is not unwrapped). Where it is offered:
 *
 *   @WriteThrough key and tags:                      yes
 *   @Invalidate keys, tags, namespace:               yes when beforeInvocation = false and the
 *                                                    method returns something (not void or Void)
 *   @Cached key and tags:                            no (the key is needed before the call)
 *   @CachedBulk key:                                 no (each id's key is needed before the call)
 *   @RateLimited key:                                no (the limit is decided before the call)
 *   @DistributedLock key:                            no (the lock is taken before the call)
 *
 * A parameter named "result" wins: in a method with such a parameter, {result} is that parameter
 * everywhere, whatever the annotation, and the return value cannot be named. The runtime must
 * resolve {result} the same way. Positions ({0}) always name parameters.
 */

/*
 * Parameters seen as another type
 *
 * In a @CachedBulk key the collection parameter stands for one of its elements: {ids.value} on a
 * parameter List<Id> ids reads value on an Id, as weft-core's KeyTemplate does with its overridden
 * parameter. A check may therefore pass, per parameter position, the type a placeholder's path
 * starts from instead of the declared one (seenAs); by name and by position alike.
 */

/**
 * Checks a key template against the method it annotates: the template parses, every {@code {name}}
 * names a parameter (or is {@code {result}} where the return value is offered; see the block
 * comment above), every {@code {0}} is in range, and every property path resolves on the
 * declared types (see {@link PropertyLookup} for the rules). Each problem is one error on the
 * attribute (the same problem twice in one template is reported once); the check goes on with the
 * next placeholder.
 */
final class TemplateCheck {

  /** The placeholder name of the method's return value. */
  static final String RESULT = "result";

  private final PropertyLookup properties;

  TemplateCheck(PropertyLookup properties) {
    this.properties = properties;
  }

  /**
   * What {@code {result}} means in a template; see the block comment at the top of this file.
   *
   * @param type the type {@code {result}} has, or {@code null} when it is not available
   * @param unavailable when not available, why and what to do instead, as a sentence fragment;
   *     {@code null} when available or when it is not checked
   */
  record Result(TypeMirror type, String unavailable) {

    /** @return {@code {result}} names a value of this type */
    static Result of(TypeMirror type) {
      return new Result(type, null);
    }

    /** @return {@code {result}} is an error, for this reason */
    static Result unavailable(String why) {
      return new Result(null, why);
    }

    /** @return {@code {result}} is accepted without checking (another error covers it) */
    static Result unchecked() {
      return new Result(null, null);
    }
  }

  /**
   * @param site the annotation and its method, not {@code null}
   * @param value the attribute's value as written, or {@code null} when it is the default
   * @param attribute the attribute's name, such as {@code "key"}
   * @param template the template text, not {@code null}
   * @param result what {@code {result}} means here, not {@code null}
   */
  void check(
      AnnotationSite site,
      AnnotationValue value,
      String attribute,
      String template,
      Result result) {
    check(site, value, attribute, template, result, Map.of());
  }

  /**
   * As the check above, with some parameters seen as another type (see the block comment at the
   * top of this file).
   *
   * @param seenAs by parameter position, the type a path below that parameter starts from, not
   *     {@code null}; parameters not in it start from their declared type
   */
  void check(
      AnnotationSite site,
      AnnotationValue value,
      String attribute,
      String template,
      Result result,
      Map<Integer, TypeMirror> seenAs) {
    String prefix = site.subject(attribute) + ": ";
    List<Part> parts;
    try {
      parts = TemplateSyntax.parse(template);
    } catch (IllegalArgumentException e) {
      site.error(value, prefix + e.getMessage());
      return;
    }
    String keyProblem = TemplateSyntax.keyProblem(parts);
    if (keyProblem != null) {
      site.error(value, prefix + keyProblem);
    }
    ExecutableElement method = site.method();
    List<? extends VariableElement> parameters = method.getParameters();
    List<String> names = new ArrayList<>();
    for (VariableElement parameter : parameters) {
      names.add(parameter.getSimpleName().toString());
    }
    Set<String> problems = new LinkedHashSet<>();
    for (Part part : parts) {
      if (part instanceof Placeholder) {
        String problem =
            problem((Placeholder) part, method, parameters, names, result, seenAs);
        if (problem != null) {
          problems.add(problem);
        }
      }
    }
    for (String problem : problems) {
      site.error(value, prefix + problem);
    }
    for (Part part : parts) {
      if (part instanceof Placeholder placeholder) {
        int index = placeholder.byPosition()
            ? placeholder.position()
            : names.indexOf(placeholder.parameter());
        if (index < 0 || index >= parameters.size()) {
          continue;
        }
        TypeMirror start = seenAs.get(index);
        TypeMirror type =
            renderedType(placeholder, start != null ? start : parameters.get(index).asType());
        if (type != null && Stateless.is(type)) {
          site.error(
              parameters.get(index),
              prefix + "{" + placeholder.source() + "} renders a " + type + ", which has no"
                  + " instance fields, so every value of it gives the same key and different"
                  + " arguments would share one entry; end the placeholder at a property with"
                  + " state, as in {" + names.get(index) + ".id}, or give " + type
                  + " the fields that tell its values apart");
        }
      }
    }
  }

  /**
   * Checks the default key of {@code @Cached} (the whole call): every parameter is rendered, so
   * none may be of a type with no readable state.
   *
   * @param site the annotation and its method, not {@code null}
   * @param attribute the key attribute's name
   */
  void checkWholeCall(AnnotationSite site, String attribute) {
    for (VariableElement parameter : site.method().getParameters()) {
      TypeMirror type = parameter.asType();
      if (Stateless.is(type)) {
        site.error(
            parameter,
            site.subject(attribute) + ": the default key (the whole call) renders parameter '"
                + parameter.getSimpleName() + "', a " + type + ", which has no instance fields, so"
                + " every value of it gives the same key and different arguments would share one"
                + " entry; give a key template of scalar properties, as in key = \"{"
                + parameter.getSimpleName() + ".id}\", or give " + type
                + " the fields that tell its values apart");
      }
    }
  }

  /** @return the type a placeholder's path ends at, or {@code null} when it does not resolve */
  private TypeMirror renderedType(Placeholder placeholder, TypeMirror start) {
    TypeMirror current = start;
    for (String segment : placeholder.path()) {
      PropertyLookup.Step step = properties.read(current, segment);
      switch (step.outcome()) {
        case UNKNOWN:
        case SCALAR:
        case MISSING:
          return null;
        default:
          current = step.type();
      }
    }
    return current;
  }

  /**
   * Checks every entry of a {@code String[]} attribute of templates; an empty entry is an error.
   *
   * @param site the annotation and its method, not {@code null}
   * @param attribute the attribute's name, such as {@code "tags"}
   * @param noun what one entry is, such as {@code "tag"}
   * @param example a template to suggest for an empty entry, such as {@code "category:{id}"}
   * @param result what {@code {result}} means here, not {@code null}
   */
  void checkEach(
      AnnotationSite site, String attribute, String noun, String example, Result result) {
    for (Attributes.Text entry : Attributes.strings(site.annotation(), attribute)) {
      if (entry.text() == null) {
        continue;
      }
      if (entry.text().isEmpty()) {
        site.error(
            entry.written(),
            site.subject(attribute)
                + ": an empty "
                + noun
                + " names nothing; write a template such as \""
                + example
                + "\", or remove the empty entry");
        continue;
      }
      check(site, entry.written(), attribute, entry.text(), result);
    }
  }

  /**
   * The parameters a template names, by name or by position, as far as it parses.
   *
   * @param positions the positions of the named parameters, in order of first appearance
   * @param complete whether every placeholder names a parameter; {@code false} when one names
   *     something else ({@code {result}}, an unknown name, a position out of range), which {@link
   *     #check} reports
   */
  record Named(Set<Integer> positions, boolean complete) {}

  /**
   * @param method the annotated method, not {@code null}
   * @param template the template text, not {@code null}
   * @return the parameters it names; empty when it does not parse ({@link #check} reports that)
   */
  static Optional<Named> named(ExecutableElement method, String template) {
    List<Part> parts;
    try {
      parts = TemplateSyntax.parse(template);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    List<? extends VariableElement> parameters = method.getParameters();
    Set<Integer> positions = new LinkedHashSet<>();
    boolean complete = true;
    for (Part part : parts) {
      if (!(part instanceof Placeholder)) {
        continue;
      }
      Placeholder placeholder = (Placeholder) part;
      int index = -1;
      if (placeholder.byPosition()) {
        index = placeholder.position() < parameters.size() ? placeholder.position() : -1;
      } else {
        for (int i = 0; i < parameters.size() && index < 0; i++) {
          if (parameters.get(i).getSimpleName().contentEquals(placeholder.parameter())) {
            index = i;
          }
        }
      }
      if (index < 0) {
        complete = false;
      } else {
        positions.add(index);
      }
    }
    return Optional.of(new Named(positions, complete));
  }

  /** @return what is wrong with the placeholder, or {@code null} if nothing is */
  private String problem(
      Placeholder placeholder,
      ExecutableElement method,
      List<? extends VariableElement> parameters,
      List<String> names,
      Result result,
      Map<Integer, TypeMirror> seenAs) {
    int index;
    if (placeholder.byPosition()) {
      int position = placeholder.position();
      if (position >= parameters.size()) {
        return "{" + placeholder.source() + "} is out of range: " + range(method, parameters);
      }
      index = position;
    } else {
      index = names.indexOf(placeholder.parameter());
      if (index < 0) {
        boolean resultNamed = placeholder.parameter().equals(RESULT);
        if (resultNamed && result.type() != null) {
          return pathProblem(placeholder, result.type());
        }
        if (resultNamed && result.unavailable() == null) {
          return null;
        }
        if (resultNamed) {
          return "{" + RESULT + "} is not available: " + result.unavailable();
        }
        List<String> candidates = new ArrayList<>(names);
        if (result.type() != null) {
          candidates.add(RESULT);
        }
        return "no parameter named '"
            + placeholder.parameter()
            + "'; available: "
            + Describe.list(candidates)
            + didYouMean(placeholder.parameter(), candidates);
      }
    }
    TypeMirror start = seenAs.get(index);
    return pathProblem(placeholder, start != null ? start : parameters.get(index).asType());
  }

  private String pathProblem(Placeholder placeholder, TypeMirror start) {
    TypeMirror current = start;
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
