package dev.weft.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  @Test
  void closest_oneEditAway_isSuggested() {
    assertThat(Suggestions.closest("idd", List.of("id"))).contains("id");
    assertThat(Suggestions.closest("custmer", List.of("number", "customer"))).contains("customer");
  }

  @Test
  void closest_transposition_countsAsOneEdit() {
    assertThat(Suggestions.distance("nmae", "name")).isEqualTo(1);
    assertThat(Suggestions.closest("nmae", List.of("id", "name"))).contains("name");
  }

  @Test
  void closest_caseOnly_isSuggested() {
    assertThat(Suggestions.closest("ID", List.of("region", "id"))).contains("id");
  }

  @Test
  void closest_farFromEverything_suggestsNothing() {
    assertThat(Suggestions.closest("tenant", List.of("id", "region"))).isEmpty();
    assertThat(Suggestions.closest("x", List.of("id"))).isEmpty();
    assertThat(Suggestions.closest("x", List.of())).isEmpty();
  }
}
