package dev.weft.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.codec.JsonCodec;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyTemplateTest {

  record Customer(long id, String region) {}

  record Order(Customer customer, int lines) {}

  public static class Account {
    public String owner = "ann";
    private final boolean active;

    Account(boolean active) {
      this.active = active;
    }

    public boolean isActive() {
      return active;
    }

    public String getPlan() {
      return "gold";
    }
  }

  enum Tier { FREE, PAID }

  public static class Box<T> {
    private final T value;

    Box(T value) {
      this.value = value;
    }

    public T getValue() {
      return value;
    }
  }

  static final class NoState {}

  static final class Filter {
    private final String term;
    @com.fasterxml.jackson.annotation.JsonIgnore private final String tenant;

    Filter(String term, String tenant) {
      this.term = term;
      this.tenant = tenant;
    }
  }

  @SuppressWarnings("unused")
  static class Target {
    String byFilter(Filter filter) { return null; }
    String byNoState(NoState empty) { return null; }
    String pair(String a, String b) { return null; }
    String byName(long id, String region) { return null; }
    String byOrder(Order order) { return null; }
    String byAccount(Account account) { return null; }
    String byEnum(Tier tier, List<String> tags) { return null; }
    String overloaded(long id) { return null; }
    String overloaded(String id) { return null; }
    String none() { return null; }
    String boxed(Box<Account> box) { return null; }
  }

  private static Method method(String name, Class<?>... types) throws NoSuchMethodException {
    return Target.class.getDeclaredMethod(name, types);
  }

  private static KeyTemplate compile(String template, Method m) {
    return KeyTemplate.compile(template, m, JsonCodec.shared());
  }

  @Test
  void render_byNameAndPosition() throws Exception {
    KeyTemplate t = compile("user:{id}:{1}", method("byName", long.class, String.class));
    assertThat(t.render(new Object[] {42L, "eu"})).isEqualTo("user:42:eu");
  }

  @Test
  void render_recordPath_andNullAlongThePath() throws Exception {
    KeyTemplate t = compile("order:{order.customer.id}/{order.lines}", method("byOrder", Order.class));
    assertThat(t.render(new Object[] {new Order(new Customer(7, "eu"), 3)})).isEqualTo("order:7/3");
    assertThat(t.render(new Object[] {new Order(null, 1)})).isEqualTo("order:%null/1");
  }

  @Test
  void render_getterIsGetterAndPublicField() throws Exception {
    KeyTemplate t = compile("{account.plan}:{account.active}:{account.owner}", method("byAccount", Account.class));
    assertThat(t.render(new Object[] {new Account(true)})).isEqualTo("gold:true:ann");
  }

  @Test
  void render_enumByName_andCollectionsAsJson() throws Exception {
    KeyTemplate t = compile("{tier}:{tags}", method("byEnum", Tier.class, List.class));
    assertThat(t.render(new Object[] {Tier.PAID, List.of("a", "b")})).isEqualTo("PAID:%5B\"a\",\"b\"%5D");
  }

  @Test
  void render_emptyTemplate_isClassMethodTypesAndArguments_distinctPerOverload() throws Exception {
    String a = compile("", method("overloaded", long.class)).render(new Object[] {1L});
    String b = compile("", method("overloaded", String.class)).render(new Object[] {"1"});
    assertThat(a).isEqualTo(Target.class.getName() + ".overloaded(long):[1]");
    assertThat(b).isEqualTo(Target.class.getName() + ".overloaded(String):[\"1\"]");
    assertThat(compile("", method("none")).render(new Object[0])).endsWith(".none():[]");
  }

  @Test
  void render_nonScalar_fromItsPrivateFields_evenJsonIgnoredOnes() throws Exception {
    KeyTemplate t = compile("report:{filter}", method("byFilter", Filter.class));
    assertThat(t.render(new Object[] {new Filter("tv", "acme")}))
        .isEqualTo("report:%7B\"tenant\"%3A\"acme\",\"term\"%3A\"tv\"%7D");
    assertThat(t.render(new Object[] {new Filter("tv", "acme")}))
        .isNotEqualTo(t.render(new Object[] {new Filter("tv", "globex")}));
    KeyTemplate whole = compile("", method("byFilter", Filter.class));
    assertThat(whole.render(new Object[] {new Filter("tv", "acme")}))
        .endsWith("byFilter(Filter):[%7B\"tenant\"%3A\"acme\",\"term\"%3A\"tv\"%7D]");
  }

  @Test
  void render_valueWithNoState_isRefusedNamingTheParameterAndTheFix() throws Exception {
    KeyTemplate t = compile("", method("byNoState", NoState.class)).at("@Cached's default key on X");
    assertThatThrownBy(() -> t.render(new Object[] {new NoState()}))
        .isInstanceOf(dev.weft.exception.WeftConfigurationException.class)
        .hasMessageContaining("@Cached's default key on X")
        .hasMessageContaining("parameter 'empty'")
        .hasMessageContaining(NoState.class.getName())
        .hasMessageContaining("no instance fields")
        .hasMessageContaining("{empty.id}");
  }

  @Test
  void compile_refusesTemplatesThatCannotNameOneTuple() throws Exception {
    Method pair = method("pair", String.class, String.class);
    assertThatThrownBy(() -> compile("{a}{b}", pair)).hasMessageContaining("{a}:{b}");
    assertThatThrownBy(() -> compile("x%{a}", pair)).hasMessageContaining("escape character");
    assertThatThrownBy(() -> compile("weft:rl:{a}", pair)).hasMessageContaining("app:rl:");
  }

  @Test
  void onePlaceholder_movedAndHashedKeys_stayConsistentBothWays() throws Exception {
    KeyTemplate t = compile("{a}:x", method("pair", String.class, String.class));
    for (String a : List.of("weft", "plain", "y".repeat(2_000))) {
      Object[] args = {a, "b"};
      assertThat(t.placeholderTextOf(t.render(args))).isEqualTo(t.placeholderText(args));
    }
    assertThat(t.render(new Object[] {"weft", "b"})).isEqualTo("%77eft:x");
  }

  @Test
  void render_pathThroughGenericGetter_usesTheTypeArgument() throws Exception {
    KeyTemplate t = compile("{box.value.plan}", method("boxed", Box.class));
    assertThat(t.render(new Object[] {new Box<>(new Account(false))})).isEqualTo("gold");
  }

  @Test
  void onePlaceholder_itsTextStandsForTheKey_bothWays() throws Exception {
    KeyTemplate t = compile("order:{order.customer.id}:lines", method("byOrder", Order.class));
    Object[] args = {new Order(new Customer(7, "eu"), 3)};
    assertThat(t.hasOnePlaceholder()).isTrue();
    assertThat(t.render(args)).isEqualTo("order:7:lines");
    assertThat(t.placeholderText(args)).isEqualTo("7");
    assertThat(t.placeholderTextOf("order:7:lines")).isEqualTo("7");
    assertThat(t.placeholderTextOf("order:7")).isNull();
    assertThat(t.placeholderTextOf("customer:7:lines")).isNull();
  }

  @Test
  void onePlaceholder_aStringArgumentIsItsOwnText_andNullReadsAsPercentNull() throws Exception {
    KeyTemplate t = compile("region:{1}", method("byName", long.class, String.class));
    String region = new String("eu");
    assertThat(t.placeholderText(new Object[] {1L, region})).isSameAs(region);
    assertThat(t.render(new Object[] {1L, region})).isEqualTo("region:eu");
    assertThat(t.placeholderText(new Object[] {1L, null})).isEqualTo("%null");
    assertThat(t.render(new Object[] {1L, null})).isEqualTo("region:%null");
    assertThat(t.render(new Object[] {1L, "null"})).isEqualTo("region:null");
  }

  @Test
  void noneOrSeveralPlaceholders_haveNoPlaceholderText() throws Exception {
    assertThat(compile("user:{id}:{1}", method("byName", long.class, String.class)).hasOnePlaceholder())
        .isFalse();
    assertThat(compile("", method("none")).hasOnePlaceholder()).isFalse();
    assertThat(compile("all", method("none")).hasOnePlaceholder()).isFalse();
    assertThatThrownBy(() -> compile("all", method("none")).placeholderText(new Object[0]))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void compile_objectMembersAreNotProperties() throws Exception {
    assertThatThrownBy(() -> compile("{account.class}", method("byAccount", Account.class)))
        .hasMessageContaining("has no property 'class'");
  }

  @Test
  void compile_unknownName_listsAvailableNames() throws Exception {
    assertThatThrownBy(() -> compile("user:{idd}", method("byName", long.class, String.class)))
        .hasMessageContaining("no parameter named 'idd'")
        .hasMessageContaining("available: id, region");
  }

  @Test
  void compile_positionOutOfRange() throws Exception {
    assertThatThrownBy(() -> compile("{2}", method("byName", long.class, String.class)))
        .hasMessageContaining("parameter 2")
        .hasMessageContaining("positions 0 to 1");
  }

  @Test
  void compile_unknownProperty_listsReadableOnes() throws Exception {
    assertThatThrownBy(() -> compile("{order.customer.email}", method("byOrder", Order.class)))
        .hasMessageContaining("has no property 'email'")
        .hasMessageContaining("id, region");
  }
}
