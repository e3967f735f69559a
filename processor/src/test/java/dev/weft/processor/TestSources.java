package dev.weft.processor;

import java.nio.file.Path;

/**
 * Sources shared by the annotation tests: a model of parameter and return types, a service class
 * around the annotated methods a test writes, and other types for methods a service cannot hold
 * (abstract ones); and the compilation of them with the Weft processor.
 */
final class TestSources {

  private TestSources() {}

  /** Types the services use, one of each kind the checks tell apart. */
  static final String MODEL =
      String.join(
          "\n",
          "package com.acme;",
          "public class Model {",
          "  public record Customer(long id, String name) {}",
          "  public record Product(String sku, String category, long cents) {}",
          "  public static class Account {",
          "    private String email;",
          "    public String getEmail() { return email; }",
          "    public void setEmail(String email) { this.email = email; }",
          "  }",
          "  public static class Counter {",
          "    public int count;",
          "  }",
          "  public static final class Money {",
          "    private final long cents;",
          "    public Money(long cents) { this.cents = cents; }",
          "    public long getCents() { return cents; }",
          "  }",
          "  public static class Versioned {",
          "    protected int version;",
          "  }",
          "  public static final class Document extends Versioned {",
          "    private final String title = \"\";",
          "    public String getTitle() { return title; }",
          "  }",
          "  public static final class Saved {",
          "    public final long id;",
          "    public Saved(long id) { this.id = id; }",
          "  }",
          "  public enum Status { ACTIVE, CLOSED }",
          "}",
          "");

  /**
   * @param lines the members of the class, one a line
   * @return {@code com.acme.Service} with the members, importing every Weft annotation, the model
   *     and {@code java.util}
   */
  static String service(String... lines) {
    return String.join(
        "\n",
        "package com.acme;",
        "import dev.weft.annotation.*;",
        "import com.acme.Model.*;",
        "import java.util.*;",
        "public class Service {",
        String.join("\n", lines),
        "}",
        "");
  }

  /**
   * @param declaration the type's declaration before its body, such as {@code "public interface
   *     Repository"}
   * @param members the members of the type, one a line
   * @return a type in {@code com.acme} with the members, importing every Weft annotation and
   *     {@code java.util} (not the model)
   */
  static String type(String declaration, String... members) {
    return String.join(
        "\n",
        "package com.acme;",
        "import dev.weft.annotation.*;",
        "import java.util.*;",
        declaration + " {",
        String.join("\n", members),
        "}",
        "");
  }

  /** Compiles complete sources with the Weft processor alone. */
  static Compilation compile(Path out, String... sources) {
    return TestCompiler.withProcessors(new WeftProcessor()).outputTo(out).compile(sources);
  }

  /** Compiles {@link #MODEL} and {@link #service} of these lines with the Weft processor. */
  static Compilation compileService(Path out, String... lines) {
    return compile(out, MODEL, service(lines));
  }
}
