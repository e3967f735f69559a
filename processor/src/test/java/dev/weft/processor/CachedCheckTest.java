package dev.weft.processor;

import static dev.weft.processor.CompilationAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.syntax.DurationSyntax;
import java.nio.file.Path;
import java.util.Locale;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code @Cached} checks, each asserted with its message and the line javac points at. */
class CachedCheckTest {

  @TempDir Path out;

  /** Types the sources below use as parameters. */
  private static final String MODEL =
      String.join(
          "\n",
          "package com.acme;",
          "public class Model {",
          "  public record Customer(long id, String name) {}",
          "  public record Order(long number, Customer customer) {}",
          "  public static class Account {",
          "    private String email;",
          "    public String getEmail() { return email; }",
          "    public boolean isActive() { return true; }",
          "    public Customer getOwner() { return null; }",
          "  }",
          "  public static class Premium extends Account {",
          "    public int level;",
          "  }",
          "  public static class Point {",
          "    public int x;",
          "    public int y;",
          "    private int hidden;",
          "  }",
          "  public static class Box<T> {",
          "    public T getValue() { return null; }",
          "  }",
          "  public static class Empty {}",
          "}",
          "");

  private Compilation compile(String... lines) {
    String source =
        String.join(
            "\n",
            "package com.acme;",
            "import dev.weft.annotation.Cached;",
            "import com.acme.Model.*;",
            "public class Service {",
            String.join("\n", lines),
            "}",
            "");
    return TestSources.compile(out, MODEL, source);
  }

  @Test
  void key_unknownParameterName_namesItListsAvailableAndSuggests() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"user:{idd}\")",
            "  public Customer find(long id) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Cached(key) on find(long): no parameter named 'idd'; available: id. Did you mean 'id'?")
        .onLineContaining("{idd}");
  }

  @Test
  void key_unknownParameterName_withoutCloseName_listsAllWithoutSuggestion() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"{tenant}:{id}\")",
            "  public Customer find(long id, String region) { return null; }");

    assertThat(compilation)
        .hadErrorContaining("no parameter named 'tenant'; available: id, region")
        .onLineContaining("{tenant}");
    assertThat(compilation.diagnostics().get(0).getMessage(Locale.ROOT)).doesNotContain("Did you mean");
  }

  @Test
  void key_unknownParameterName_onMethodWithoutParameters_saysNone() {
    Compilation compilation =
        compile("  @Cached(key = \"all:{id}\")", "  public String all() { return null; }");

    assertThat(compilation)
        .hadErrorContaining("@Cached(key) on all(): no parameter named 'id'; available: none")
        .onLineContaining("all:{id}");
  }

  @Test
  void ttl_notADuration_showsAcceptedForms() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"user:{id}\", ttl = \"10 minutes\")",
            "  public Customer find(long id) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Cached(ttl) on find(long): \"10 minutes\" is not a duration; use "
                + DurationSyntax.ACCEPTED_FORMS)
        .onLineContaining("10 minutes");
  }

  @Test
  void ttl_zero_isRejectedWithAcceptedForms() {
    Compilation compilation =
        compile("  @Cached(ttl = \"0s\")", "  public Customer find(long id) { return null; }");

    assertThat(compilation)
        .hadErrorContaining("\"0s\" must be greater than zero; use " + DurationSyntax.ACCEPTED_FORMS)
        .onLineContaining("0s");
  }

  @Test
  void ttl_unresolvedConstant_leavesTheReportToJavac() {
    Compilation compilation =
        compile("  @Cached(ttl = NO_SUCH_TTL)", "  public Customer find(long id) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining("cannot find symbol")
        .onLineContaining("NO_SUCH_TTL");
  }

  @Test
  void correctMethods_compileWithoutErrorsOrWarnings() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"user:{id}\", ttl = \"10m\")",
            "  public Customer byName(long id) { return null; }",
            "  @Cached(key = \"{0}\", ttl = \"PT10M\")",
            "  public Customer byPosition(long id) { return null; }",
            "  @Cached(key = \"order:{order.customer.id}\", ttl = \"1h\")",
            "  public Customer byRecordPath(Order order) { return null; }",
            "  @Cached(key = \"acct:{account.email}:{account.active}:{account.owner.name}\")",
            "  public Customer byGetterPath(Account account) { return null; }",
            "  @Cached(key = \"pt:{p.x},{p.y}\", ttl = \"500ms\")",
            "  public Customer byFieldPath(Point p) { return null; }",
            "  @Cached(key = \"premium:{premium.email}:{premium.level}\")",
            "  public Customer byInheritedGetter(Premium premium) { return null; }",
            "  @Cached(key = \"box:{box.value.email}\")",
            "  public Customer throughTypeArgument(Box<Account> box) { return null; }",
            "  @Cached(key = \"bound:{account.email}\")",
            "  public <A extends Account> Customer throughTypeVariable(A account) { return null; }",
            "  @Cached(key = \"{1.name}/{{literal}}/{ id }\", ttl = \"1d\")",
            "  public Customer mixed(long id, Customer customer) { return null; }",
            "  @Cached",
            "  public Customer defaults(long id) { return null; }",
            "  @Cached(key = \"static\")",
            "  public static Customer onStatic() { return null; }");

    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void key_unknownPropertyOnRecord_namesSegmentTypeAndProperties() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"order:{order.custmer.id}\")",
            "  public Customer find(Order order) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Cached(key) on find(Order): cannot resolve 'custmer' in {order.custmer.id}: no"
                + " property 'custmer' on com.acme.Model.Order; readable properties: customer,"
                + " number. Did you mean 'customer'?")
        .onLineContaining("{order.custmer.id}");
  }

  @Test
  void key_unknownPropertyDeeperInPath_namesTheTypeOfThatStep() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"{account.owner.nmae}\")",
            "  public Customer find(Account account) { return null; }");

    assertThat(compilation)
        .hadErrorContaining(
            "cannot resolve 'nmae' in {account.owner.nmae}: no property 'nmae' on"
                + " com.acme.Model.Customer; readable properties: id, name. Did you mean 'name'?")
        .onLineContaining("{account.owner.nmae}");
  }

  @Test
  void key_privateFieldAndGetClass_areNotProperties() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"{p.hidden}\")",
            "  public Customer hidden(Point p) { return null; }",
            "  @Cached(key = \"{a.class}\")",
            "  public Customer klass(Account a) { return null; }");

    assertThat(compilation)
        .hadErrorContaining(
            "no property 'hidden' on com.acme.Model.Point; readable properties: x, y")
        .onLineContaining("{p.hidden}");
    assertThat(compilation)
        .hadErrorContaining(
            "no property 'class' on com.acme.Model.Account; readable properties: active, email,"
                + " owner")
        .onLineContaining("{a.class}");
  }

  @Test
  void key_propertyOnTypeVariable_namesTheBound() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"{account.mail}\")",
            "  public <A extends Account> Customer find(A account) { return null; }");

    assertThat(compilation)
        .hadErrorContaining(
            "no property 'mail' on A (bounded by com.acme.Model.Account); readable properties:"
                + " active, email, owner. Did you mean 'email'?")
        .onLineContaining("{account.mail}");
  }

  @Test
  void key_propertyOfPrimitiveOrArray_saysWhereToEnd() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"{order.number.value}\")",
            "  public Customer primitive(Order order) { return null; }",
            "  @Cached(key = \"{ids.length}\")",
            "  public Customer array(long[] ids) { return null; }",
            "  @Cached(key = \"{e.anything}\")",
            "  public Customer empty(Empty e) { return null; }");

    assertThat(compilation)
        .hadErrorContaining(
            "cannot resolve 'value' in {order.number.value}: a primitive (long) has no properties;"
                + " end the placeholder at {order.number}")
        .onLineContaining("{order.number.value}");
    assertThat(compilation)
        .hadErrorContaining(
            "cannot resolve 'length' in {ids.length}: an array (long[]) has no properties; end"
                + " the placeholder at {ids}")
        .onLineContaining("{ids.length}");
    assertThat(compilation)
        .hadErrorContaining(
            "no property 'anything' on com.acme.Model.Empty, which has no readable properties")
        .onLineContaining("{e.anything}");
  }

  @Test
  void key_unresolvedParameterType_isLeftToJavac() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"{thing.whatever}\")",
            "  public Customer find(NoSuchType thing) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining("cannot find symbol")
        .onLineContaining("NoSuchType thing");
  }

  @Test
  void key_positionOutOfRange_givesTheRange() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"{2}\")",
            "  public Customer two(long id, String region) { return null; }",
            "  @Cached(key = \"{1}\")",
            "  public Customer one(long id) { return null; }",
            "  @Cached(key = \"{0}\")",
            "  public Customer none() { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 3)
        .hadErrorContaining(
            "@Cached(key) on two(long, String): {2} is out of range: two(long, String) has 2"
                + " parameters, so positions run from {0} to {1}")
        .onLineContaining("{2}");
    assertThat(compilation)
        .hadErrorContaining("{1} is out of range: one(long) has 1 parameter, so the only position is {0}")
        .onLineContaining("\"{1}\"");
    assertThat(compilation)
        .hadErrorContaining("{0} is out of range: none() has no parameters, so no position is valid")
        .onLineContaining("\"{0}\"");
  }

  @Test
  void key_unclosedBrace_reportsTheSyntaxError() {
    Compilation compilation =
        compile("  @Cached(key = \"user:{id\")", "  public Customer find(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Cached(key) on find(long): unclosed '{' at index 5 in \"user:{id\"; close it with '}'"
                + " or write '{{' for a literal brace")
        .onLineContaining("user:{id");
  }

  @Test
  void key_strayBraceAndEmptyPlaceholder_reportTheSyntaxError() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"user:id}\")",
            "  public Customer stray(long id) { return null; }",
            "  @Cached(key = \"user:{}\")",
            "  public Customer empty(long id) { return null; }");

    assertThat(compilation)
        .hadErrorContaining("stray '}' at index 7")
        .onLineContaining("user:id}");
    assertThat(compilation)
        .hadErrorContaining("empty placeholder '{}'")
        .onLineContaining("user:{}");
  }

  @Test
  void key_placeholderOverATypeWithNoState_isAnErrorOnTheParameter() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"report:{e}\")",
            "  public Customer run(",
            "      Empty e) { return null; }",
            "  @Cached(key = \"report:{p}\")",
            "  public Customer fields(Point p) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Cached(key) on run(Empty): {e} renders a com.acme.Model.Empty, which has no instance"
                + " fields, so every value of it gives the same key and different arguments would"
                + " share one entry; end the placeholder at a property with state, as in {e.id}")
        .onLineContaining("Empty e)");
  }

  @Test
  void defaultKey_overAParameterWithNoState_isAnErrorOnTheParameter() {
    Compilation compilation =
        compile(
            "  @Cached",
            "  public Customer run(long id,",
            "      Empty filter) { return null; }",
            "  @Cached",
            "  public Customer fine(long id, Point p, java.util.List<String> names) { return null; }");

    assertThat(compilation)
        .failed()
        .hasCount(Diagnostic.Kind.ERROR, 1)
        .hadErrorContaining(
            "@Cached(key) on run(long, Empty): the default key (the whole call) renders parameter"
                + " 'filter', a com.acme.Model.Empty, which has no instance fields")
        .onLineContaining("Empty filter)");
  }

  @Test
  void key_thatCannotNameOneArgumentTuple_isAnErrorOnTheKey() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"{id}{region}\")",
            "  public Customer adjacent(long id, String region) { return null; }",
            "  @Cached(key = \"user%{id}\")",
            "  public Customer percent(long id) { return null; }",
            "  @Cached(key = \"weft:rl:{id}\")",
            "  public Customer reserved(long id) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 3)
        .hadErrorContaining(
            "@Cached(key) on adjacent(long, String): '{id}{region}' puts two values side by side")
        .onLineContaining("{id}{region}");
    assertThat(compilation)
        .hadErrorContaining("'%' in the literal text \"user%\" is the escape character")
        .onLineContaining("user%{id}");
    assertThat(compilation)
        .hadErrorContaining("\"weft:rl:\" starts with \"weft:\", where Weft keeps its own keys")
        .onLineContaining("weft:rl:{id}");
  }

  @Test
  void voidMethod_hasNothingToCache() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"log:{line}\")",
            "  public void log(String line) {}",
            "  @Cached(key = \"boxed\")",
            "  public Void boxed(String line) { return null; }");

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 2)
        .hadErrorContaining(
            "@Cached on log(String) has nothing to cache (it returns void); remove @Cached or"
                + " return the value")
        .onLineContaining("log:{line}");
    assertThat(compilation)
        .hadErrorContaining(
            "@Cached on boxed(String) has nothing to cache (it returns Void); remove @Cached or"
                + " return the value")
        .onLineContaining("\"boxed\"");
  }

  @Test
  void abstractMethods_warnThatCachedHasNoEffect() {
    Compilation compilation =
        TestSources.compile(
            out,
            TestSources.type(
                "public interface Repository",
                "  @Cached(key = \"r:{id}\")",
                "  String find(long id);",
                "  @Cached(key = \"d:{id}\")",
                "  default String withBody(long id) { return null; }"),
            TestSources.type(
                "public abstract class Base",
                "  @Cached(key = \"b:{id}\")",
                "  protected abstract String load(long id);"));

    assertThat(compilation)
        .hasCount(Diagnostic.Kind.ERROR, 0)
        .hasCount(Diagnostic.Kind.WARNING, 2)
        .hadWarningContaining(
            "@Cached on find(long) has no effect: the method is abstract and Weft weaves only"
                + " method bodies; put @Cached on the implementing method")
        .onLineContaining("r:{id}");
    assertThat(compilation)
        .hadWarningContaining("@Cached on load(long) has no effect")
        .onLineContaining("b:{id}");
  }

  @Test
  void severalMistakes_areAllReportedInOneCompilation() {
    Compilation compilation =
        compile(
            "  @Cached(key = \"user:{idd}\",",
            "          ttl = \"ten minutes\")",
            "  public Customer find(long id) { return null; }",
            "  @Cached(key = \"{order.custmer}:{3}\")",
            "  public Customer order(Order order) { return null; }",
            "  @Cached(key = \"{oops\")",
            "  public void nothing(long id) {}");

    assertThat(compilation).failed().hasCount(Diagnostic.Kind.ERROR, 6);
    assertThat(compilation).hadErrorContaining("no parameter named 'idd'").onLineContaining("{idd}");
    assertThat(compilation)
        .hadErrorContaining("\"ten minutes\" is not a duration")
        .onLineContaining("ten minutes");
    assertThat(compilation)
        .hadErrorContaining("no property 'custmer'")
        .onLineContaining("{order.custmer}");
    assertThat(compilation).hadErrorContaining("{3} is out of range").onLineContaining("{3}");
    assertThat(compilation).hadErrorContaining("unclosed '{'").onLineContaining("{oops");
    assertThat(compilation)
        .hadErrorContaining("nothing(long) has nothing to cache")
        .onLineContaining("{oops");
  }
}
