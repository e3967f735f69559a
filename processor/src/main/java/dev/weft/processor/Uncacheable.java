package dev.weft.processor;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/*
 * Return types that cannot be cached
 *
 * A cached value is the method's result, written once as JSON and read back by every later
 * caller. Some results are not values but one-shot handles; caching them gives every caller after
 * the first something used up, closed or meaningless. The rule looks at the value type (see
 * WovenMethod.valueType): a return type of exactly CompletableFuture<T> or CompletionStage<T> is
 * fine, because the runtime stores the T it completes with, and that T is what is judged. The
 * value type is uncacheable when its erasure is assignable to one of these (checked in order):
 *
 *   consumed once:  java.util.stream.BaseStream (Stream, IntStream, LongStream, DoubleStream and
 *                   every other subtype), java.util.Iterator, java.util.Spliterator,
 *                   java.io.InputStream, java.io.Reader, java.sql.ResultSet
 *   sinks:          java.io.OutputStream, java.io.Writer
 *   pending work:   java.util.concurrent.Future (FutureTask, ForkJoinTask, and also subclasses of
 *                   CompletableFuture, which the runtime does not unwrap)
 *
 * Iterable, Collection, arrays and everything else are fine. A type variable is judged by its
 * erasure (its first bound), so <S extends Stream<T>> S is uncacheable and <T> T is not; a
 * wildcard by its upper bound. A type missing from the compilation's platform (java.sql in a
 * module that does not read it) is skipped. The rule applies to @Cached and @WriteThrough, which
 * both store the result.
 *
 * @CachedBulk stores each value of the Map<id, value> its method returns, one entry per id, so the
 * same rule judges that value type V. Nothing is unwrapped there: the runtime does not wait for a
 * future held in a map, so a CompletableFuture<T> as V is pending work like any other Future.
 */

/** Decides whether a return type can be cached; see the rule at the top of this file. */
final class Uncacheable {

  private record Kind(String type, String reason, String fix) {}

  private static final String CONSUMED =
      "is consumed once, so every caller after the first would get a used-up copy";
  private static final String MATERIALIZE = "return a List/array or the materialized value";

  private static final String FUTURE = "java.util.concurrent.Future";

  private static final List<Kind> KINDS =
      List.of(
          new Kind("java.util.stream.BaseStream", CONSUMED, MATERIALIZE),
          new Kind("java.util.Iterator", CONSUMED, MATERIALIZE),
          new Kind("java.util.Spliterator", CONSUMED, MATERIALIZE),
          new Kind("java.io.InputStream", CONSUMED, "return a byte[] or the materialized value"),
          new Kind("java.io.Reader", CONSUMED, "return a String or the materialized value"),
          new Kind(
              "java.sql.ResultSet",
              CONSUMED + " (and it belongs to an open connection)",
              MATERIALIZE),
          new Kind(
              "java.io.OutputStream",
              "is a destination to write to, not a value",
              "return the written value, such as a byte[]"),
          new Kind(
              "java.io.Writer",
              "is a destination to write to, not a value",
              "return the written value, such as a String"),
          new Kind(
              FUTURE,
              "is a handle on work in progress, not its value",
              "return the value itself, or a CompletableFuture or CompletionStage"));

  private final Elements elements;
  private final Types types;

  Uncacheable(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /**
   * @param returnType a method's declared return type, not {@code null}
   * @param valueType what the runtime stores for it ({@link WovenMethod#valueType}), not {@code
   *     null}
   * @return why it cannot be cached and what to return instead, as {@code "a Stream<User> is
   *     consumed once ...; return a List/array ..."}; empty when it can be cached
   */
  Optional<String> problem(TypeMirror returnType, TypeMirror valueType) {
    String origin =
        valueType != returnType ? " (what " + Describe.type(returnType) + " completes with)" : "";
    return problem(valueType, origin, null);
  }

  /**
   * @param mapType a {@code @CachedBulk} method's declared return type, not {@code null}
   * @param valueType the value type of that map, which is what is stored per id, not {@code null}
   * @return why the map's values cannot be cached and what to return instead, as {@code "a
   *     Stream<User> (each value of Map<Long, Stream<User>>) is consumed once ...; return a
   *     List/array ..."}; empty when they can be cached
   */
  Optional<String> problemOfMapValue(TypeMirror mapType, TypeMirror valueType) {
    return problem(
        valueType,
        " (each value of " + Describe.type(mapType) + ")",
        "map each id to the value itself");
  }

  /**
   * @param origin how the judged type relates to the method, appended to its description; may be
   *     empty
   * @param futureFix the advice for pending work, or {@code null} for the usual one
   */
  private Optional<String> problem(TypeMirror valueType, String origin, String futureFix) {
    TypeMirror judged = valueType;
    if (judged.getKind() == TypeKind.WILDCARD) {
      judged = ((WildcardType) judged).getExtendsBound();
      if (judged == null) {
        return Optional.empty();
      }
    }
    if (judged.getKind() != TypeKind.DECLARED && judged.getKind() != TypeKind.TYPEVAR) {
      return Optional.empty();
    }
    TypeMirror erased = types.erasure(judged);
    for (Kind kind : KINDS) {
      TypeElement type = elements.getTypeElement(kind.type());
      if (type == null || !types.isAssignable(erased, types.erasure(type.asType()))) {
        continue;
      }
      String fix = futureFix != null && kind.type().equals(FUTURE) ? futureFix : kind.fix();
      return Optional.of(describe(judged) + origin + " " + kind.reason() + "; " + fix);
    }
    return Optional.empty();
  }

  /** {@code a Stream<User>}, or for a type variable {@code a Stream<User> (the bound of S)}. */
  private static String describe(TypeMirror type) {
    if (type.getKind() == TypeKind.TYPEVAR) {
      return article(Describe.type(((TypeVariable) type).getUpperBound()))
          + " (the bound of "
          + Describe.type(type)
          + ")";
    }
    return article(Describe.type(type));
  }

  private static String article(String type) {
    return ("AEIOU".indexOf(Character.toUpperCase(type.charAt(0))) >= 0 ? "an " : "a ") + type;
  }
}
