package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.lang.model.SourceVersion;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code @Invalidate} checks, single and repeated, each with its message and line. */
class InvalidateCheckTest {

  @TempDir Path out;

  private Compilation compile(String... lines) {
    return TestSources.compileService(out, lines);
  }

  @Test
  void nothingToRemove_isAnErrorOnTheAnnotation() {
    Compilation compilation =
        compile("  @Invalidate // bare", "  public void bare(long id) {}");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Invalidate on bare(long) removes nothing; give keys, tags or a namespace")
        .onLineContaining("// bare");
  }

  @Test
  void nothingToRemove_emptyNamespaceCountsAsNone() {
    Compilation compilation =
        compile(
            "  @Invalidate(namespace = \"\", beforeInvocation = true)",
            "  public void emptyNamespace(long id) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Invalidate on emptyNamespace(long) removes nothing; give keys, tags or a namespace")
        .onLineContaining("namespace = \"\"");
  }

  @Test
  void keys_unknownParameter_pointsAtThatEntry() {
    Compilation compilation =
        compile(
            "  @Invalidate(keys = {\"user:{id}\",",
            "                      \"email:{mail}\"})",
            "  public void update(long id, String email) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Invalidate(keys) on update(long, String): no parameter named 'mail'; available: id,"
                + " email. Did you mean 'email'?")
        .onLineContaining("email:{mail}");
  }

  @Test
  void keys_emptyEntry_isAnError() {
    Compilation compilation =
        compile("  @Invalidate(keys = {\"user:{id}\", \"\"})", "  public void update(long id) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Invalidate(keys) on update(long): an empty key names nothing; write a template such"
                + " as \"user:{id}\", or remove the empty entry")
        .onLineContaining("keys = {");
  }

  @Test
  void tags_unresolvedPath_isAnError() {
    Compilation compilation =
        compile(
            "  @Invalidate(tags = \"category:{product.categry}\")",
            "  public void reprice(Product product) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Invalidate(tags) on reprice(Product): cannot resolve 'categry' in"
                + " {product.categry}: no property 'categry' on com.acme.Model.Product; readable"
                + " properties: category, cents, sku. Did you mean 'category'?")
        .onLineContaining("{product.categry}");
  }

  @Test
  void namespace_isATemplate() {
    Compilation compilation =
        compile(
            "  @Invalidate(namespace = \"tenant:{tenantId}:\")",
            "  public void purge(String tenant) {}",
            "  @Invalidate(namespace = \"tenant:{tenant\")",
            "  public void unclosed(String tenant) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@Invalidate(namespace) on purge(String): no parameter named 'tenantId'; available:"
                + " tenant")
        .onLineContaining("{tenantId}");
    assertThat(compilation)
        .hadErrorContaining("@Invalidate(namespace) on unclosed(String): unclosed '{'")
        .onLineContaining("tenant:{tenant\"");
  }

  @Test
  void namespace_withGlobCharacters_isFine() {
    Compilation compilation =
        compile(
            "  @Invalidate(namespace = \"product:*?[a-z]\\\\{sku}:\")",
            "  public void purge(String sku) {}",
            "  @Invalidate(namespace = \"all:\")",
            "  public void purgeAll() {}");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void result_beforeInvocation_isAnError() {
    Compilation compilation =
        compile(
            "  @Invalidate(keys = \"customer:{result.id}\", beforeInvocation = true)",
            "  public Customer rename(long id, String name) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Invalidate(keys) on rename(long, String): {result} is not available: with"
                + " beforeInvocation = true the method has not run yet; use a parameter, or set"
                + " beforeInvocation = false")
        .onLineContaining("customer:{result.id}");
  }

  @Test
  void result_onVoidMethod_isAnError() {
    Compilation compilation =
        compile(
            "  @Invalidate(tags = \"owner:{result}\")",
            "  public void close(long id) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Invalidate(tags) on close(long): {result} is not available: close(long) returns"
                + " void; use a parameter, or return the value")
        .onLineContaining("owner:{result}");
  }

  @Test
  void result_afterTheCall_resolvesOnTheReturnType() {
    Compilation compilation =
        compile(
            "  @Invalidate(keys = \"customer:{result.id}\", tags = \"name:{result.name}\")",
            "  public Customer rename(long id, String name) { return null; }",
            "  @Invalidate(keys = \"customer:{result.idd}\")",
            "  public Customer typo(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Invalidate(keys) on typo(long): cannot resolve 'idd' in {result.idd}: no property"
                + " 'idd' on com.acme.Model.Customer; readable properties: id, name. Did you mean"
                + " 'id'?")
        .onLineContaining("{result.idd}");
  }

  @Test
  void result_parameterNamedResult_winsEvenBeforeTheCall() {
    Compilation compilation =
        compile(
            "  @Invalidate(keys = \"product:{result.sku}\", beforeInvocation = true)",
            "  public void apply(Product result) {}",
            "  @Invalidate(keys = \"product:{result.sku}\")",
            "  public Customer applyAndReturn(Product result) { return null; }");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void repeated_eachErrorPointsAtItsOwnAnnotation() {
    Compilation compilation =
        compile(
            "  @Invalidate(keys = \"user:{id}\")",
            "  @Invalidate(keys = \"email:{mail}\")",
            "  @Invalidate(tags = {\"team:{id}\",",
            "                      \"org:{orgg}\"})",
            "  @Invalidate(beforeInvocation = true)",
            "  @Invalidate(namespace = \"sessions:{result}\", beforeInvocation = true)",
            "  public Customer update(long id, String email, String org) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 4)
        .hadErrorContaining("@Invalidate(keys) on update(long, String, String): no parameter named"
            + " 'mail'")
        .onLineContaining("email:{mail}");
    assertThat(compilation)
        .hadErrorContaining("@Invalidate(tags) on update(long, String, String): no parameter named"
            + " 'orgg'; available: id, email, org, result. Did you mean 'org'?")
        .onLineContaining("org:{orgg}");
    assertThat(compilation)
        .hadErrorContaining("@Invalidate on update(long, String, String) removes nothing")
        .onLineContaining("@Invalidate(beforeInvocation = true)");
    assertThat(compilation)
        .hadErrorContaining(
            "@Invalidate(namespace) on update(long, String, String): {result} is not available")
        .onLineContaining("sessions:{result}");
  }

  @Test
  void repeated_correct_compilesWithoutWarnings() {
    Compilation compilation =
        compile(
            "  @Invalidate(keys = \"user:{id}\")",
            "  @Invalidate(keys = \"email:{email}\", beforeInvocation = true)",
            "  @Invalidate(tags = \"org:{result.name}\")",
            "  public Customer update(long id, String email) { return null; }");

    assertThat(compilation).succeededWithoutWarnings();
  }

  /**
   * Gradle's incremental processing gives processors a wrapper around javac's environment; the
   * repeated annotations are still located through the environment it wraps.
   */
  @Test
  void repeated_underAWrappedEnvironment_stillPointsAtEachAnnotation() {
    Compilation compilation =
        TestCompiler.withProcessors(new Wrapping(new WeftProcessor()))
            .outputTo(out)
            .compile(
                TestSources.MODEL,
                TestSources.service(
                    "  @Invalidate(keys = \"user:{id}\")",
                    "  @Invalidate(keys = \"email:{mail}\")",
                    "  public void update(long id, String email) {}"));

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining("no parameter named 'mail'")
        .onLineContaining("email:{mail}");
  }

  @Test
  void explicitContainer_eachErrorPointsAtItsOwnAnnotation() {
    Compilation compilation =
        compile(
            "  @Invalidate.List({",
            "    @Invalidate(keys = \"user:{idd}\"),",
            "    @Invalidate(tags = \"team:{tem}\")})",
            "  public void update(long id, String team) {}");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining("no parameter named 'idd'")
        .onLineContaining("user:{idd}");
    assertThat(compilation)
        .hadErrorContaining("no parameter named 'tem'; available: id, team. Did you mean 'team'?")
        .onLineContaining("team:{tem}");
  }

  @Test
  void abstractMethod_warnsThatInvalidateHasNoEffect() {
    Compilation compilation =
        TestSources.compile(
            out,
            TestSources.type(
                "public interface Repository",
                "  @Invalidate(keys = \"r:{id}\")",
                "  @Invalidate(keys = \"s:{id}\")",
                "  void delete(long id);"));

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 0)
        .hasCount(Diagnostic.Kind.WARNING, 2)
        .hadWarningContaining(
            "@Invalidate on delete(long) has no effect: the method is abstract and Weft weaves"
                + " only method bodies; put @Invalidate on the implementing method")
        .onLineContaining("r:{id}");
    assertThat(compilation)
        .hadWarningContaining("@Invalidate on delete(long) has no effect")
        .onLineContaining("s:{id}");
  }

  /** Hands its delegate a wrapped environment, as Gradle's incremental processing does. */
  static final class Wrapping extends ForwardingProcessor {
    Wrapping(Processor delegate) {
      super(delegate);
    }

    @Override
    public void init(ProcessingEnvironment processingEnv) {
      super.init(new WrappedEnvironment(processingEnv));
    }
  }

  /** A processing environment that forwards everything, with the real one in a private field. */
  static final class WrappedEnvironment implements ProcessingEnvironment {
    private final ProcessingEnvironment delegate;

    WrappedEnvironment(ProcessingEnvironment delegate) {
      this.delegate = delegate;
    }

    @Override
    public Map<String, String> getOptions() {
      return delegate.getOptions();
    }

    @Override
    public Messager getMessager() {
      return delegate.getMessager();
    }

    @Override
    public Filer getFiler() {
      return delegate.getFiler();
    }

    @Override
    public Elements getElementUtils() {
      return delegate.getElementUtils();
    }

    @Override
    public Types getTypeUtils() {
      return delegate.getTypeUtils();
    }

    @Override
    public SourceVersion getSourceVersion() {
      return delegate.getSourceVersion();
    }

    @Override
    public Locale getLocale() {
      return delegate.getLocale();
    }
  }
}
