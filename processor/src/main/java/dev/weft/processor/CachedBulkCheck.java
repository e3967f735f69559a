package dev.weft.processor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/*
 * What @CachedBulk needs of its method
 *
 * weft-core (MethodPlan.bulk, BulkCache) splits a bulk call: it renders one key per element of
 * the ids collection, reads them all at once, calls the method with only the ids that missed, in
 * a new collection of the declared kind (an ArrayList, or a LinkedHashSet for a Set), and stores
 * each value of the returned map under its id's key. Hence the rules, the same as the runtime's:
 *
 *   return type  a parameterized Map<id, value>, or a subtype whose second type argument is the
 *                Map's value type (HashMap<K, V>, SortedMap<K, V>). The value type is what each
 *                entry is stored and read back as, so it is judged by Uncacheable. Not void, not a
 *                raw Map, not a future of a map.
 *   ids          the key names exactly one parameter whose erased declared type is exactly
 *                java.util.Collection, java.util.List or java.util.Set; an ArrayList or a TreeSet
 *                parameter would not accept the collection the runtime passes. In the key that
 *                parameter stands for one element: a path below it starts from its type argument
 *                (Object when it is raw or a type variable), as in {ids.value} on List<Id>.
 *   {result}     not available: every id's key is needed before the call.
 *   ttl, jitter  as in @Cached.
 *   @Cached      not on the same method.
 *
 * One mistake the runtime accepts but cannot serve: it finds each id's value with map.get(id), so
 * a map whose key type can never equal an id (Map<Long, V> for List<String> ids) finds nothing,
 * and every id is cached as absent. That is a warning, given only when no object can be both: two
 * classes neither of which extends the other, or a final class and an interface it does not
 * implement.
 */

/**
 * The checks for {@code @CachedBulk}; see the rules in the block comment at the top of this file.
 */
final class CachedBulkCheck {

  static final String NAME = "@CachedBulk";

  /** {@code {result}} in {@code @CachedBulk}: never, each id's key is needed before the call. */
  static final TemplateCheck.Result NO_RESULT =
      TemplateCheck.Result.unavailable(
          "@CachedBulk needs the key of each id before the method runs; use the ids parameter"
              + " and other parameters");

  private static final List<String> COLLECTIONS =
      List.of("java.util.Collection", "java.util.List", "java.util.Set");

  private static final String MAP = "java.util.Map";

  private static final String MAP_EXAMPLE = "Map<String, Product>";

  private final TemplateCheck templates;
  private final StoredValueCheck stored;
  private final Elements elements;
  private final Types types;

  CachedBulkCheck(
      TemplateCheck templates, StoredValueCheck stored, Elements elements, Types types) {
    this.templates = templates;
    this.stored = stored;
    this.elements = elements;
    this.types = types;
  }

  /**
   * Reports every problem of one {@code @CachedBulk} method; runs on methods only, after {@link
   * WovenMethod#check}.
   *
   * @param site the annotated method and its {@code @CachedBulk} annotation, not {@code null}
   */
  void check(AnnotationSite site) {
    ExecutableElement method = site.method();
    if (hasCached(method)) {
      site.error(
          site.subject()
              + " cannot be combined with @Cached on one method; keep one: @CachedBulk to cache"
              + " each id's value under its own key, or @Cached to cache the whole map under one"
              + " key");
    }
    Map<Integer, TypeMirror> collections = collectionParameters(method);
    int ids = checkKey(site, collections);
    if (ids < 0) {
      checkReturnType(site, null, null);
    } else {
      checkReturnType(site, method.getParameters().get(ids), collections.get(ids));
    }
    stored.ttlAndJitter(site);
  }

  /**
   * Checks the key: a template, with each collection parameter seen as one element, naming exactly
   * one collection parameter.
   *
   * @return the position of the ids parameter, or -1 when the key does not name exactly one
   */
  private int checkKey(AnnotationSite site, Map<Integer, TypeMirror> collections) {
    Attributes.Text key = Attributes.string(site.annotation(), "key");
    if (key.text() == null) {
      return -1; // not a usable string: javac reports it
    }
    String prefix = site.subject("key") + ": ";
    ExecutableElement method = site.method();
    List<? extends VariableElement> parameters = method.getParameters();
    String example =
        "\"product:{"
            + (collections.isEmpty()
                ? "ids"
                : parameters.get(collections.keySet().iterator().next()).getSimpleName())
            + "}\"";
    if (key.text().isEmpty()) {
      site.error(
          key.written(),
          prefix
              + "the key is empty; it must name the ids parameter, which stands for one id, as in "
              + example);
      return -1;
    }
    templates.check(site, key.written(), "key", key.text(), NO_RESULT, collections);
    Optional<TemplateCheck.Named> named = TemplateCheck.named(method, key.text());
    if (named.isEmpty()) {
      return -1; // does not parse: reported above
    }
    List<Integer> ids = new ArrayList<>();
    for (int position : named.get().positions()) {
      if (collections.containsKey(position)) {
        ids.add(position);
      }
    }
    if (ids.size() == 1) {
      return ids.get(0);
    }
    if (ids.size() > 1) {
      StringJoiner names = new StringJoiner(", ");
      for (int position : ids) {
        names.add(parameters.get(position).getSimpleName());
      }
      site.error(
          key.written(),
          prefix
              + "names "
              + (ids.size() == 2 ? "two" : String.valueOf(ids.size()))
              + " collection parameters ("
              + names
              + "); name exactly one, whose elements are the ids, and leave the "
              + (ids.size() == 2 ? "other" : "others")
              + " out of the key");
      return -1;
    }
    if (!named.get().complete()) {
      return -1; // a placeholder names something unknown, reported above; it may be the ids
    }
    for (int position : named.get().positions()) {
      VariableElement parameter = parameters.get(position);
      String kind = collectionKind(parameter.asType());
      if (kind != null) {
        site.error(
            key.written(),
            prefix
                + "names "
                + parameter.getSimpleName()
                + ", declared as "
                + Describe.type(parameter.asType())
                + ", but the ids parameter must be declared as exactly Collection, List or Set,"
                + " because the method is called with a new one holding only the ids that"
                + " missed; declare "
                + parameter.getSimpleName()
                + " as "
                + kind
                + typeArguments(parameter.asType()));
        return -1;
      }
    }
    if (collections.isEmpty()) {
      site.error(
          key.written(),
          prefix
              + "names no parameter declared as Collection, List or Set, and the method has"
              + " none; add the ids as a List, Set or Collection parameter and name it in the"
              + " key, as in "
              + example);
    } else {
      site.error(
          key.written(),
          prefix
              + "names no parameter declared as Collection, List or Set; name the ids parameter,"
              + " as in "
              + example);
    }
    return -1;
  }

  /**
   * Checks that the method returns a {@code Map<id, value>} whose values can be cached, and warns
   * when its keys can never equal the ids.
   *
   * @param parameter the ids parameter, or {@code null} when the key names none (or several)
   * @param id the type of one id, or {@code null} likewise
   */
  private void checkReturnType(AnnotationSite site, VariableElement parameter, TypeMirror id) {
    TypeMirror returnType = site.method().getReturnType();
    if (returnType.getKind() == TypeKind.ERROR) {
      return; // javac reports the missing type
    }
    String returnAMap = "return a Map from each id to its value, as in " + MAP_EXAMPLE;
    if (!stored.returnsValue(site, "cache", returnAMap)) {
      return;
    }
    String mustReturnMap = site.subject() + " must return a Map<id, value>";
    String returned = Describe.type(returnType);
    TypeElement map = elements.getTypeElement(MAP);
    if (returnType.getKind() != TypeKind.DECLARED
        || !types.isAssignable(types.erasure(returnType), types.erasure(map.asType()))) {
      site.error(mustReturnMap + ", but returns " + returned + "; " + returnAMap);
      return;
    }
    DeclaredType declared = (DeclaredType) returnType;
    TypeElement declaration = (TypeElement) declared.asElement();
    List<? extends TypeParameterElement> parameters = declaration.getTypeParameters();
    DeclaredType generic = mapSupertype((DeclaredType) declaration.asType());
    if (generic == null) {
      return; // assignable to Map but no Map supertype found: nothing sensible to say
    }
    if (declared.getTypeArguments().isEmpty()) {
      boolean concrete =
          indexOf(parameters, generic.getTypeArguments().get(0)) < 0
              && indexOf(parameters, generic.getTypeArguments().get(1)) < 0;
      site.error(
          mustReturnMap
              + " with its type arguments written out, but returns "
              + returned
              + "; the value type is what each entry is read back as; declare the return type"
              + " as "
              + (concrete ? Describe.type(generic) : "a Map such as " + MAP_EXAMPLE));
      return;
    }
    List<? extends TypeMirror> arguments = declared.getTypeArguments();
    TypeMirror key = substitute(generic.getTypeArguments().get(0), parameters, arguments);
    TypeMirror value = substitute(generic.getTypeArguments().get(1), parameters, arguments);
    if (indexOf(parameters, generic.getTypeArguments().get(1)) != 1) {
      site.error(
          mustReturnMap
              + ", but returns "
              + returned
              + ", whose second type argument is not the Map's value type; declare the return"
              + " type as Map<"
              + Describe.type(key)
              + ", "
              + Describe.type(value)
              + ">");
      return;
    }
    stored.mapValue(site, returnType, value);
    if (id != null && neverEqual(id, key)) {
      String ids = Describe.type(upperBound(id));
      site.warning(
          site.subject()
              + ": the returned map's keys are "
              + Describe.type(key)
              + ", but the ids in "
              + parameter.getSimpleName()
              + " are "
              + ids
              + "; each id's value is found with map.get(id), so none would be found and "
              + (Attributes.flag(site.annotation(), "cacheNulls")
                  ? "every id would be cached as absent"
                  : "every call would return an empty map")
              + "; return Map<"
              + ids
              + ", "
              + Describe.type(value)
              + ">");
    }
  }

  /**
   * @return by position, the parameters declared as exactly {@code Collection}, {@code List} or
   *     {@code Set} (after erasure), each with the type one of its elements has: the type argument,
   *     or {@code Object} when there is none, as the runtime sees it
   */
  private Map<Integer, TypeMirror> collectionParameters(ExecutableElement method) {
    Map<Integer, TypeMirror> collections = new LinkedHashMap<>();
    List<? extends VariableElement> parameters = method.getParameters();
    for (int i = 0; i < parameters.size(); i++) {
      TypeMirror type = parameters.get(i).asType();
      TypeMirror erased = types.erasure(type);
      if (erased.getKind() != TypeKind.DECLARED
          || !COLLECTIONS.contains(qualifiedName(erased))) {
        continue;
      }
      TypeMirror element =
          type.getKind() == TypeKind.DECLARED
                  && !((DeclaredType) type).getTypeArguments().isEmpty()
              ? ((DeclaredType) type).getTypeArguments().get(0)
              : elements.getTypeElement("java.lang.Object").asType();
      collections.put(i, element);
    }
    return collections;
  }

  /**
   * @return for a collection type that is not exactly one of the accepted three ({@code
   *     ArrayList}, {@code TreeSet}), the accepted one to declare instead; else {@code null}
   */
  private String collectionKind(TypeMirror type) {
    TypeMirror erased = types.erasure(type);
    if (erased.getKind() != TypeKind.DECLARED || COLLECTIONS.contains(qualifiedName(erased))) {
      return null;
    }
    for (String kind : List.of("java.util.Set", "java.util.List", "java.util.Collection")) {
      TypeElement accepted = elements.getTypeElement(kind);
      if (types.isAssignable(erased, types.erasure(accepted.asType()))) {
        return accepted.getSimpleName().toString();
      }
    }
    return null;
  }

  /** @return {@code <String>} for {@code ArrayList<String>}; empty for other shapes */
  private static String typeArguments(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED
        || ((DeclaredType) type).getTypeArguments().size() != 1) {
      return "";
    }
    return "<" + Describe.type(((DeclaredType) type).getTypeArguments().get(0)) + ">";
  }

  /**
   * @param type a generic declaration's own type, such as {@code HashMap<K, V>}, not {@code null}
   * @return its {@code Map} supertype in terms of its type parameters, such as {@code Map<K, V>};
   *     {@code null} if there is none
   */
  private DeclaredType mapSupertype(DeclaredType type) {
    Deque<TypeMirror> pending = new ArrayDeque<>(List.of(type));
    for (int guard = 0; guard < 256 && !pending.isEmpty(); guard++) {
      TypeMirror next = pending.removeFirst();
      if (next.getKind() != TypeKind.DECLARED) {
        continue;
      }
      DeclaredType declared = (DeclaredType) next;
      if (qualifiedName(declared).equals(MAP)) {
        return declared.getTypeArguments().size() == 2 ? declared : null;
      }
      pending.addAll(types.directSupertypes(declared));
    }
    return null;
  }

  /** @return which of the type parameters {@code type} is, or -1 when it is none of them */
  private int indexOf(List<? extends TypeParameterElement> parameters, TypeMirror type) {
    for (int i = 0; i < parameters.size(); i++) {
      if (types.isSameType(parameters.get(i).asType(), type)) {
        return i;
      }
    }
    return -1;
  }

  /** @return {@code type}, or the argument given for it when it is one of the type parameters */
  private TypeMirror substitute(
      TypeMirror type,
      List<? extends TypeParameterElement> parameters,
      List<? extends TypeMirror> arguments) {
    int index = indexOf(parameters, type);
    return index >= 0 && index < arguments.size() ? arguments.get(index) : type;
  }

  /**
   * @return whether no object can be both an {@code id} and a {@code key}: see the block comment
   *     at the top of this file
   */
  private boolean neverEqual(TypeMirror id, TypeMirror key) {
    TypeMirror idBound = upperBound(id);
    TypeMirror keyBound = upperBound(key);
    if (idBound == null || keyBound == null) {
      return false;
    }
    TypeMirror a = types.erasure(idBound);
    TypeMirror b = types.erasure(keyBound);
    if (a.getKind() != TypeKind.DECLARED || b.getKind() != TypeKind.DECLARED) {
      return false;
    }
    if (types.isAssignable(a, b) || types.isAssignable(b, a)) {
      return false;
    }
    TypeElement first = (TypeElement) ((DeclaredType) a).asElement();
    TypeElement second = (TypeElement) ((DeclaredType) b).asElement();
    boolean firstInterface = first.getKind().isInterface();
    boolean secondInterface = second.getKind().isInterface();
    if (firstInterface && secondInterface) {
      return false;
    }
    if (!firstInterface && !secondInterface) {
      return true;
    }
    TypeElement type = firstInterface ? second : first;
    return type.getModifiers().contains(Modifier.FINAL)
        || type.getKind() == ElementKind.RECORD
        || type.getKind() == ElementKind.ENUM;
  }

  /**
   * @return the type, or a wildcard's extends bound; {@code null} for {@code ?} and {@code ? super}
   */
  private static TypeMirror upperBound(TypeMirror type) {
    if (type.getKind() == TypeKind.WILDCARD) {
      return ((WildcardType) type).getExtendsBound();
    }
    return type;
  }

  private static boolean hasCached(ExecutableElement method) {
    for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
      if (qualifiedName(mirror.getAnnotationType()).equals(WeftProcessor.CACHED)) {
        return true;
      }
    }
    return false;
  }

  private static String qualifiedName(TypeMirror declared) {
    return ((TypeElement) ((DeclaredType) declared).asElement()).getQualifiedName().toString();
  }
}
