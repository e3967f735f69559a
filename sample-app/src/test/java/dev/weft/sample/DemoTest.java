package dev.weft.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The demo as the README runs it, shortened: two instances, the load, the report. Checks that the
 * report's figures were measured (cache hits, 429s of both kinds with their headers, restock turns
 * run and skipped, sessions, order events split between the two instances' consumers) and that
 * the stock adds up, and the best-seller board and the counters agree with the database and the
 * clients (the report's own checks, which decide the exit status).
 */
@WeftRedis
class DemoTest {

  @Test
  void demo_measuresEveryPattern_andFindsNoOversell(RedisServer redis) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    String previous = System.setProperty("weft.redis.url", redis.url());
    int status;
    try {
      status = SampleApp.demo(Options.parse(new String[] {"demo", "--seconds", "3", "--warmup", "1",
          "--clients", "6"}), out);
    } finally {
      if (previous == null) {
        System.clearProperty("weft.redis.url");
      } else {
        System.setProperty("weft.redis.url", previous);
      }
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    System.out.print(report);

    assertThat(status).isZero();
    assertThat(report).contains("PASSED: no oversell");
    assertThat(report).containsPattern("cache {8}hit ratio [0-9.]+ %: [0-9,]+ hits");
    assertThat(report).containsPattern("rate limits  [1-9][0-9,]* answered 429: [0-9,]+ per address"
        + " \\(20/s\\), [1-9][0-9,]* per user \\(3 orders/s\\); every one with Retry-After and RateLimit-\\*");
    assertThat(report).containsPattern("restock job  ran [1-9][0-9]* times, skipped [1-9][0-9]* times");
    assertThat(report).containsPattern("requests     [0-9,]+ answered, [0-9,]+/s; 0 errors");
    assertThat(report).containsPattern("sessions     [1-9][0-9,]* created by POST /login since start");
    assertThat(report).containsPattern("events       ([1-9][0-9,]*) orders published to the stream"
        + " weft-sample:orders in the run, \\1 processed by the group analytics \\(2 consumers: ");
    assertThat(report).containsPattern("all [1-9][0-9,]* events since start processed [0-9]+ ms after the load ended");
    assertThat(report).containsPattern("best sellers [a-z]{2}-[0-9]{2} [1-9][0-9,]* units, ");
    assertThat(report).containsPattern("units on the board equal the database's order lines for ([0-9]+) of \\1 products");
    assertThat(report).contains("PASSED: the figures agree");
  }
}
