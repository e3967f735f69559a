package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.annotation.LockContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public surface names only Weft's API, the JDK, and the few library types it offers on
 * purpose: every public or protected member of every public type in an API package (methods,
 * constructors, fields, supertypes, type parameters and their bounds, thrown types) is read by
 * reflection, from weft-core's and weft-annotations' classes, and each type it names is checked.
 * A type of {@code dev.weft.internal} (or of the adapters' {@code dev.weft.weaving}) there would
 * make internals part of the API; a third-party type would tie the API to that library's versions
 * and, under the agent, to its relocated copy.
 */
class PublicSignaturesTest {

  /** The packages whose public types are the API. */
  private static final Set<String> API_PACKAGES = Set.of(
      "dev.weft", "dev.weft.annotation", "dev.weft.exception", "dev.weft.cache", "dev.weft.lock",
      "dev.weft.ratelimit", "dev.weft.counter", "dev.weft.leaderboard", "dev.weft.session",
      "dev.weft.queue", "dev.weft.stream", "dev.weft.pubsub", "dev.weft.bloom",
      "dev.weft.writebehind", "dev.weft.codec");

  /**
   * Third-party types the API offers on purpose: the application's own Jackson {@code
   * ObjectMapper} for the codec, and Micrometer's registry for metrics.
   */
  private static final Set<String> ALLOWED_THIRD_PARTY = Set.of(
      "com.fasterxml.jackson.databind.ObjectMapper",
      "io.micrometer.core.instrument.MeterRegistry");

  @Test
  void publicSignatures_nameNoInternalOrThirdPartyType() {
    List<Class<?>> types = apiTypes();
    assertThat(types).as("API types found").hasSizeGreaterThan(20);
    Set<String> offences = new TreeSet<>();
    for (Class<?> type : types) {
      check(type, offences);
    }
    assertThat(offences).as("public signatures that name internal or third-party types").isEmpty();
  }

  @Test
  void check_findsAnInternalTypeInASignature() {
    Set<String> offences = new TreeSet<>();
    check(Leaky.class, offences);
    assertThat(offences).anySatisfy(o -> assertThat(o).contains("dev.weft.internal.WeftAccess"));
    assertThat(offences).anySatisfy(o -> assertThat(o).contains("io.lettuce.core.RedisURI"));
  }

  /** A public type that leaks, for the check itself. */
  public abstract static class Leaky implements Comparable<dev.weft.internal.WeftAccess> {
    /** @return a third-party type */
    public abstract List<? extends io.lettuce.core.RedisURI> uris();
  }

  private static void check(Class<?> type, Set<String> offences) {
    String where = type.getName();
    visit(type.getGenericSuperclass(), where + " extends", offences);
    for (Type face : type.getGenericInterfaces()) {
      visit(face, where + " implements", offences);
    }
    for (TypeVariable<?> variable : type.getTypeParameters()) {
      for (Type bound : variable.getBounds()) {
        visit(bound, where + "<" + variable.getName() + ">", offences);
      }
    }
    for (Field field : type.getDeclaredFields()) {
      if (visible(field.getModifiers()) && !field.isSynthetic()) {
        visit(field.getGenericType(), where + "." + field.getName(), offences);
      }
    }
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      if (visible(constructor.getModifiers()) && !constructor.isSynthetic()) {
        executable(constructor, where + ".<init>", offences);
      }
    }
    for (Method method : type.getDeclaredMethods()) {
      if (visible(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
        visit(method.getGenericReturnType(), where + "." + method.getName() + " returns", offences);
        executable(method, where + "." + method.getName(), offences);
      }
    }
    for (Class<?> nested : type.getDeclaredClasses()) {
      if (visible(nested.getModifiers())) {
        check(nested, offences);
      }
    }
  }

  private static void executable(Executable executable, String where, Set<String> offences) {
    for (Type parameter : executable.getGenericParameterTypes()) {
      visit(parameter, where + " takes", offences);
    }
    for (Type thrown : executable.getGenericExceptionTypes()) {
      visit(thrown, where + " throws", offences);
    }
    for (TypeVariable<?> variable : executable.getTypeParameters()) {
      for (Type bound : variable.getBounds()) {
        visit(bound, where + " <" + variable.getName() + ">", offences);
      }
    }
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void visit(Type type, String where, Set<String> offences) {
    visit(type, where, offences, new HashSet<>());
  }

  private static void visit(Type type, String where, Set<String> offences, Set<Type> seen) {
    if (type == null || !seen.add(type)) {
      return;
    }
    if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      String why = refused(c);
      if (why != null) {
        offences.add(where + ": " + c.getName() + " (" + why + ")");
      }
    } else if (type instanceof ParameterizedType p) {
      visit(p.getRawType(), where, offences, seen);
      visit(p.getOwnerType(), where, offences, seen);
      for (Type argument : p.getActualTypeArguments()) {
        visit(argument, where, offences, seen);
      }
    } else if (type instanceof WildcardType w) {
      for (Type bound : w.getUpperBounds()) {
        visit(bound, where, offences, seen);
      }
      for (Type bound : w.getLowerBounds()) {
        visit(bound, where, offences, seen);
      }
    } else if (type instanceof TypeVariable<?> v) {
      for (Type bound : v.getBounds()) {
        visit(bound, where, offences, seen);
      }
    } else if (type instanceof GenericArrayType a) {
      visit(a.getGenericComponentType(), where, offences, seen);
    }
  }

  /** @return why {@code c} may not appear in a public signature, or {@code null} if it may */
  private static String refused(Class<?> c) {
    if (c.isPrimitive() || jdk(c)) {
      return null;
    }
    String name = c.getName();
    if (name.startsWith("dev.weft.")) {
      if (API_PACKAGES.contains(c.getPackageName()) || c == Leaky.class) {
        return null;
      }
      return "not an API package";
    }
    return ALLOWED_THIRD_PARTY.contains(name) ? null : "third-party type";
  }

  private static boolean jdk(Class<?> c) {
    ClassLoader loader = c.getClassLoader();
    return loader == null || loader == ClassLoader.getPlatformClassLoader();
  }

  /** @return the public types of the API packages, from weft-core's and weft-annotations' classes */
  private static List<Class<?>> apiTypes() {
    Set<String> names = new TreeSet<>();
    names.addAll(classNames(Weft.class));
    names.addAll(classNames(LockContext.class));
    List<Class<?>> types = new ArrayList<>();
    for (String name : names) {
      String pkg = name.substring(0, name.lastIndexOf('.'));
      if (!API_PACKAGES.contains(pkg) || name.contains("$")) {
        continue;
      }
      try {
        Class<?> type = Class.forName(name, false, PublicSignaturesTest.class.getClassLoader());
        if (Modifier.isPublic(type.getModifiers())) {
          types.add(type);
        }
      } catch (ClassNotFoundException e) {
        throw new AssertionError(name, e);
      }
    }
    return types;
  }

  /** @return the names of the classes in the class folder or jar that {@code anchor} came from */
  private static Set<String> classNames(Class<?> anchor) {
    Set<String> names = new TreeSet<>();
    try {
      Path source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(source)) {
        try (Stream<Path> files = Files.walk(source)) {
          files.filter(f -> f.toString().endsWith(".class"))
              .map(f -> source.relativize(f).toString().replace('\\', '/'))
              .forEach(f -> add(f, names));
        }
      } else {
        try (JarFile jar = new JarFile(source.toFile())) {
          for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            add(entries.nextElement().getName(), names);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return names;
  }

  private static void add(String path, Set<String> names) {
    if (path.endsWith(".class") && !path.contains("module-info") && !path.startsWith("META-INF")) {
      names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }
  }
}
