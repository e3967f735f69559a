package dev.weft.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.syntax.TemplateSyntax.Literal;
import dev.weft.syntax.TemplateSyntax.Placeholder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateSyntaxTest {

  @Test
  void parse_namePositionAndPath() {
    assertThat(TemplateSyntax.parse("user:{id}:{0}:{order.customer.id}"))
        .containsExactly(
            new Literal("user:"),
            new Placeholder("id", -1, List.of(), "id"),
            new Literal(":"),
            new Placeholder(null, 0, List.of(), "0"),
            new Literal(":"),
            new Placeholder("order", -1, List.of("customer", "id"), "order.customer.id"));
  }

  @Test
  void parse_doubledBracesAreLiteral() {
    assertThat(TemplateSyntax.parse("a{{b}}c{x}"))
        .containsExactly(new Literal("a{b}c"), new Placeholder("x", -1, List.of(), "x"));
  }

  @Test
  void parse_plainTextIsOneLiteral() {
    assertThat(TemplateSyntax.parse("config:all")).containsExactly(new Literal("config:all"));
    assertThat(TemplateSyntax.parse("")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"user:{id", "user:}", "{}", "{ }", "{a..b}", "{1a}", "{a-b}", "{a.}"})
  void parse_rejectsMalformed(String template) {
    assertThatThrownBy(() -> TemplateSyntax.parse(template))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(template);
  }
}
