package dev.weft.spring.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;

/** The type each cached method's values are read as: what Spring caches for its return type. */
class ValueTypeCacheResolverTest {

  record Product(String sku) {}

  @SuppressWarnings("unused")
  static class Methods<T> {
    Product plain() {
      return null;
    }

    Optional<Product> optional() {
      return Optional.empty();
    }

    CompletableFuture<List<Product>> future() {
      return null;
    }

    long primitive() {
      return 0;
    }

    void nothing() {}

    T generic() {
      return null;
    }

    List<T> genericList() {
      return null;
    }
  }

  static class ProductMethods extends Methods<Product> {}

  private static Type valueType(String name, Class<?> target) throws NoSuchMethodException {
    Method method = Methods.class.getDeclaredMethod(name);
    return ValueTypeCacheResolver.valueType(method, target);
  }

  @Test
  void valueType_isTheReturnTypeUnwrapped() throws Exception {
    assertThat(valueType("plain", Methods.class)).isEqualTo(Product.class);
    assertThat(valueType("optional", Methods.class)).isEqualTo(Product.class);
    assertThat(ResolvableType.forType(valueType("future", Methods.class)).toString())
        .isEqualTo(ResolvableType.forClassWithGenerics(List.class, Product.class).toString());
    assertThat(valueType("primitive", Methods.class)).isEqualTo(Long.class);
    assertThat(valueType("nothing", Methods.class)).isEqualTo(Object.class);
  }

  @Test
  void valueType_typeVariable_isResolvedAgainstTheTargetClass_elseItsBound() throws Exception {
    assertThat(valueType("generic", ProductMethods.class)).isEqualTo(Product.class);
    assertThat(valueType("generic", Methods.class)).isEqualTo(Object.class);
    assertThat(valueType("genericList", Methods.class)).isEqualTo(List.class);
  }
}
