package dev.weft.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs the sample as the README's command does (no Redis configured, so it starts its own) and
 * checks that what it prints was measured: the source is queried once per distinct call.
 */
@Tag("redis")
class SampleAppTest {

  @Test
  void main_cachesRepeatedCalls_andReportsMeasuredFigures() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      SampleApp.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    original.print(out);

    assertThat(out).contains("10 calls: 4 misses (source queried), 6 hits.");
    assertThat(out).contains("Source queries: 4 (without the cache: 10).");
    assertThat(out).containsPattern("product\\(\"kb-01\"\\)\\s+miss");
    assertThat(out).containsPattern("In Redis: product:kb-01 = \\{\"sku\":\"kb-01\".*\\(expires in (599|600) s\\)");
  }
}
