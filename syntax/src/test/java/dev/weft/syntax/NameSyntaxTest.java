package dev.weft.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Counter names and retentions, as {@code weft.counter(...)} and {@code @Counted} accept them. */
class NameSyntaxTest {

  @Test
  void counterNames_lettersDigitsDotUnderscoreDash_1To64() {
    assertThat(NameSyntax.counterNameProblem("counter", "page-views.v2_eu")).isNull();
    assertThat(NameSyntax.counterNameProblem("counter", "x".repeat(64))).isNull();
    assertThat(NameSyntax.counterNameProblem("counter", "x".repeat(65))).isNotNull();
    assertThat(NameSyntax.counterNameProblem("counter", "")).isNotNull();
    assertThat(NameSyntax.counterNameProblem("unique counter", "page views"))
        .isEqualTo("a unique counter's name must be 1 to 64 letters, digits, '.', '_' or '-', such"
            + " as \"page-views\", was \"page views\"");
    assertThat(NameSyntax.isCounterName("{tag}")).isFalse();
  }

  @Test
  void retention_wholeSecondsOfAtLeastOne() {
    assertThat(NameSyntax.retentionProblem(Duration.ofSeconds(1), "1s")).isNull();
    assertThat(NameSyntax.retentionProblem(Duration.ofDays(90), "90d")).isNull();
    assertThat(NameSyntax.retentionProblem(Duration.ofMillis(500), " 500ms "))
        .isEqualTo("\"500ms\" is not a whole number of seconds of at least 1 s, which is how long"
            + " Redis keeps a bucket; use seconds or longer units, as in \"1d\"");
    assertThat(NameSyntax.retentionProblem(Duration.ofMillis(1500), "1500ms")).isNotNull();
  }
}
