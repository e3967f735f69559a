package dev.weft.aspectj.kinds;

import dev.weft.annotation.Cached;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One {@code @Cached} method of every kind a user may write, each counting its runs; woven by ajc
 * here, by the agent and by AspectJ load-time weaving in the agent module.
 */
public final class Kinds {

  /** Runs of every body, by kind. */
  public static final java.util.Map<String, AtomicInteger> RUNS =
      new java.util.concurrent.ConcurrentHashMap<>();

  static String ran(String kind, String value) {
    RUNS.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    return kind + ":" + value;
  }

  @Cached(key = "kinds:instance:{0}", ttl = "1m")
  public String instance(String id) {
    return ran("instance", id);
  }

  @Cached(key = "kinds:static:{0}", ttl = "1m")
  public static String statik(String id) {
    return ran("static", id);
  }

  /** Reaches a private method: only the woven method itself can intercept it. */
  public String viaPrivate(String id) {
    return hidden(id);
  }

  @Cached(key = "kinds:private:{0}", ttl = "1m")
  private String hidden(String id) {
    return ran("private", id);
  }

  @Cached(key = "kinds:final:{0}", ttl = "1m")
  public final String finalMethod(String id) {
    return ran("final", id);
  }

  @Cached(key = "kinds:generic:{0}", ttl = "1m")
  public <T extends Comparable<T>> String generic(T value) {
    return ran("generic", String.valueOf(value));
  }

  /** Overloads with an empty key: the method (with its parameter types) and the arguments. */
  @Cached(ttl = "1m")
  public String overload(String id) {
    return ran("overload(String)", id);
  }

  @Cached(ttl = "1m")
  public String overload(int id) {
    return ran("overload(int)", Integer.toString(id));
  }

  @Cached(key = "kinds:varargs:{0}", ttl = "1m")
  public String varargs(String... parts) {
    return ran("varargs", Arrays.toString(parts));
  }

  @Cached(key = "kinds:checked:{0}", ttl = "1m")
  public String checked(String id) throws IOException {
    ran("checked", id);
    throw new IOException("no " + id);
  }

  @Cached(key = "kinds:future:{0}", ttl = "1m")
  public CompletableFuture<String> future(String id) {
    return CompletableFuture.supplyAsync(() -> ran("future", id));
  }

  /** A record with a woven method. */
  public record Point(int x, int y) {
    @Cached(key = "kinds:record:{0}", ttl = "1m")
    public String label(String prefix) {
      return ran("record", prefix + x + "," + y);
    }
  }

  /** A static nested class. */
  public static class Nested {
    @Cached(key = "kinds:nested:{0}", ttl = "1m")
    public String find(String id) {
      return ran("nested", id);
    }
  }

  /** An inner (non-static) class. */
  public class Inner {
    @Cached(key = "kinds:inner:{0}", ttl = "1m")
    public String find(String id) {
      return ran("inner", id);
    }
  }

  /** An interface whose default method is woven. */
  public interface WithDefault {
    @Cached(key = "kinds:default:{0}", ttl = "1m")
    default String find(String id) {
      return ran("default", id);
    }
  }

  /** Implements {@link WithDefault} without overriding it. */
  public static final class Implementor implements WithDefault {}

  /** An anonymous class's woven method. */
  public static Supplier<String> anonymous() {
    return new Supplier<>() {
      @Override
      @Cached(key = "kinds:anonymous", ttl = "1m")
      public String get() {
        return ran("anonymous", "x");
      }
    };
  }
}
