package dev.weft.test;

import java.lang.annotation.Annotation;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/*
 * Why resources live in the class-level store: JUnit closes a store's AutoCloseable values when
 * its context ends, also after failed tests, which is exactly "one server per test class". The
 * value is computed on first demand rather than only in beforeAll, because with
 * @TestInstance(PER_CLASS) JUnit builds the test instance, and so resolves constructor
 * parameters, before any BeforeAllCallback runs. Lookups see the stores of enclosing contexts
 * too, so a @Nested class finds its outer class's server instead of starting another one.
 *
 * The stored wrapper implements the deprecated Store.CloseableResource as well as AutoCloseable,
 * so the resource is closed on JUnit versions before 5.13 and when a build turns off JUnit's
 * closing of AutoCloseable store values; JUnit 5.13+ closes a value implementing both only once.
 */
/** A resource owned by a test class's extension context and closed with it. */
@SuppressWarnings({"deprecation", "try"})
final class ClassScopedResource<T extends AutoCloseable>
    implements AutoCloseable, ExtensionContext.Store.CloseableResource {

  private final T resource;

  private ClassScopedResource(T resource) {
    this.resource = resource;
  }

  /**
   * Returns the resource of the test class {@code context} belongs to, starting it on first use.
   *
   * @param context any extension context inside a test class, not {@code null}
   * @param namespace the owning extension's namespace, not {@code null}
   * @param type the resource type, also the store key, not {@code null}
   * @param start starts a new resource, not {@code null}
   * @return the resource, never {@code null}
   */
  static <T extends AutoCloseable> T get(
      ExtensionContext context,
      ExtensionContext.Namespace namespace,
      Class<T> type,
      Supplier<T> start) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    @SuppressWarnings("unchecked")
    ClassScopedResource<T> stored =
        classContext
            .getStore(namespace)
            .getOrComputeIfAbsent(
                type, key -> new ClassScopedResource<>(start.get()), ClassScopedResource.class);
    return type.cast(stored.resource);
  }

  /**
   * Finds an annotation on the test class or, for {@code @Nested} classes, the nearest enclosing
   * class that carries it.
   *
   * @param context an extension context inside a test class, not {@code null}
   * @param annotationType the annotation, not {@code null}
   * @return the annotation, or empty if no class carries it
   */
  static <A extends Annotation> Optional<A> findAnnotation(
      ExtensionContext context, Class<A> annotationType) {
    for (Class<?> type = context.getRequiredTestClass();
        type != null;
        type = type.getEnclosingClass()) {
      Optional<A> annotation = AnnotationSupport.findAnnotation(type, annotationType);
      if (annotation.isPresent()) {
        return annotation;
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() throws Exception {
    resource.close();
  }
}
