package example.plain;

import dev.weft.annotation.Cached;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application whose only Weft dependency is weft-annotations. {@link AgentIT} runs it in its
 * own JVM under {@code -javaagent:weft-agent.jar}; it prints one {@code key=value} line per fact
 * the test checks.
 */
public class PlainApp {

  /** A value type, as applications cache them. */
  public record Product(String sku, String name, List<String> tags) {}

  private final AtomicInteger calls = new AtomicInteger();
  private static final AtomicInteger staticCalls = new AtomicInteger();

  @Cached(key = "product:{sku}", ttl = "10m")
  public Product product(String sku) {
    calls.incrementAndGet();
    return new Product(sku, "Product " + sku, List.of("new", "sale"));
  }

  public Product productViaSelf(String sku) {
    return this.product(sku);
  }

  @Cached(key = "square:{0}", ttl = "1m")
  public long square(int n) {
    calls.incrementAndGet();
    return (long) n * n;
  }

  @Cached(key = "list:{prefix}", ttl = "1m")
  public List<Product> products(String prefix) {
    calls.incrementAndGet();
    return List.of(new Product(prefix + "1", "one", List.of()), new Product(prefix + "2", "two", List.of("x")));
  }

  @Cached(key = "static:{name}", ttl = "1m")
  private static String greet(String name) {
    staticCalls.incrementAndGet();
    return "hello " + name;
  }

  @Cached(key = "fails:{id}", ttl = "1m")
  public String failing(String id) throws java.io.IOException {
    calls.incrementAndGet();
    throw new java.io.IOException("source down for " + id);
  }

  @Cached(key = "user:{idd}", ttl = "1m")
  public String misnamed(long id) {
    calls.incrementAndGet();
    return "never";
  }

  public static void main(String[] args) {
    PlainApp app = new PlainApp();
    Product first = app.product("p-1");
    Product second = app.product("p-1");
    print("product.equal", first.equals(second));
    print("product.calls", app.calls.get());
    app.product("p-2");
    print("product.callsAfterOtherArgument", app.calls.get());
    app.productViaSelf("p-1");
    print("selfInvocation.calls", app.calls.get());

    app.calls.set(0);
    print("square", app.square(9) + "," + app.square(9));
    List<Product> loaded = app.products("k");
    List<Product> cached = app.products("k");
    print("list.equal", loaded.equals(cached));
    print("list.elementType", cached.get(1).getClass().getName());
    print("list.calls", app.calls.get() - 1);

    print("static", greet("ann") + "," + greet("ann"));
    print("static.calls", staticCalls.get());

    app.calls.set(0);
    for (int i = 0; i < 2; i++) {
      try {
        app.failing("f");
      } catch (java.io.IOException e) {
        print("failing.exception" + i, e.getClass().getName() + ":" + e.getMessage());
      }
    }
    print("failing.calls", app.calls.get());

    app.calls.set(0);
    try {
      app.misnamed(1);
      print("misnamed", "no exception");
    } catch (RuntimeException e) {
      print("misnamed", e.getClass().getName() + ":" + e.getMessage());
    }
    print("misnamed.calls", app.calls.get());
    print("done", true);
  }

  private static void print(String key, Object value) {
    System.out.println(key + "=" + value);
  }
}
