package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one redaction: every Redis URL shape, valid or not, inside any text, and cause chains. */
class SecretsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "redis://user:secret@h:1 | redis://user:***@h:1",
        "redis://secret@h:1 | redis://***@h:1",
        "redis://:secret@h:1/0 | redis://:***@h:1/0",
        "redis://h:1 | redis://h:1",
        "rediss://app:secret@h:6380?verifyPeer=NONE | rediss://app:***@h:6380?verifyPeer=NONE",
        "redis-sentinel://:secret@s1:26379,s2:26379?sentinelMasterId=m"
            + " | redis-sentinel://:***@s1:26379,s2:26379?sentinelMasterId=m",
        "rediss-sentinel://u:secret@s1:26379 | rediss-sentinel://u:***@s1:26379",
        "redis-cluster://u:secret@h1:7000,h2:7001 | redis-cluster://u:***@h1:7000,h2:7001",
        "REDIS://:secret@h:1 | REDIS://:***@h:1",
        "redis://:pa^ss@h:6379 | redis://:***@h:6379",
        "redis://:pa%ss@h:6379 | redis://:***@h:6379",
        "redis://:pa%5Ess@h:6379 | redis://:***@h:6379",
        "redis://u:p@ss@h:6379 | redis://u:***@h:6379",
        "redis://:a,b:c@h:6379 | redis://:***@h:6379",
        "redis://:pa/ss@h:6379 | redis://:***@h:6379",
        "redis://:pa ss@h:6379 | redis://:***@h:6379",
        "redis://:pa ss | redis://***",
        "redis://[::1]:6379 | redis://[::1]:6379",
        "redis://h:1?password=secret&timeout=2s | redis://h:1?password=***&timeout=2s",
        "redis://h:1?sentinelPassword=secret | redis://h:1?sentinelPassword=***",
        "redis://u:***@h:1 | redis://u:***@h:1",
        "comma-separated redis:// URLs | comma-separated redis:// URLs",
      })
  void redact_masksThePasswordOfEveryShape(String text, String expected) {
    assertThat(Secrets.redact(text)).isEqualTo(expected);
  }

  @Test
  void redact_masksEveryUrlInsideText_andKeepsTheRest() {
    String text =
        "Illegal character in authority at index 8: redis://:pa^ss@h:6379 (tried"
            + " redis://u:one@h1:1,redis://:t,wo@h2:2 and rediss://h3:3; see Impl@5a1b)";

    assertThat(Secrets.redact(text))
        .isEqualTo(
            "Illegal character in authority at index 8: redis://:***@h:6379 (tried"
                + " redis://u:***@h1:1,redis://:***@h2:2 and rediss://h3:3; see Impl@5a1b)");
  }

  @Test
  void redact_urlFollowedByPunctuation_keepsTheHost() {
    String text =
        "3 of 3 Redlock masters failed: [redis://h1:1: Redis at redis://h1:1 failed: timeout,"
            + " redis://h2:2; (redis://h3:3).]";

    assertThat(Secrets.redact(text)).isEqualTo(text);
  }

  @Test
  void redact_quotedUrl_masksWithinTheQuotes() {
    assertThat(Secrets.redact("url \"redis://:s3cret@h:1\" refused"))
        .isEqualTo("url \"redis://:***@h:1\" refused");
  }

  @Test
  void redactUrl_anyScheme_masksTheUserInformation() {
    assertThat(Secrets.redactUrl("http://u:secret@h:1")).isEqualTo("http://***@h:1");
    assertThat(Secrets.redactUrl("u:secret@h:1")).isEqualTo("***@h:1");
    assertThat(Secrets.redactUrl("localhost:6379")).isEqualTo("localhost:6379");
    assertThat(Secrets.redactUrl("redis://u:secret@h:1")).isEqualTo("redis://u:***@h:1");
  }

  @Test
  void redact_null_isNull() {
    assertThat(Secrets.redact(null)).isNull();
  }

  @Test
  void scrub_cleanChain_returnsTheSameThrowable() {
    RuntimeException clean =
        new RuntimeException("could not connect to redis://:***@h:1", new IllegalStateException("x"));

    assertThat(Secrets.scrub(clean)).isSameAs(clean);
  }

  @Test
  void scrub_causeShowingAPassword_isReplaced_keepingTypeNameAndStackTrace() {
    URISyntaxException parser =
        new URISyntaxException("redis://:pa^ss@h:1", "Illegal character in authority", 8);
    IllegalArgumentException wrapped = new IllegalArgumentException(parser.getMessage(), parser);
    RuntimeException top = new RuntimeException("Redis at redis://:***@h:1 failed", wrapped);
    top.addSuppressed(new IllegalStateException("also redis://u:pa^ss@h:1"));

    Throwable scrubbed = Secrets.scrub(top);

    assertThat(trace(scrubbed)).doesNotContain("pa^ss").contains("redis://:***@h:1");
    assertThat(scrubbed.getCause().toString())
        .startsWith("java.lang.IllegalArgumentException: Illegal character in authority");
    assertThat(scrubbed.getCause().getStackTrace()).isEqualTo(wrapped.getStackTrace());
    assertThat(scrubbed.getCause().getCause().toString()).startsWith("java.net.URISyntaxException");
    assertThat(scrubbed.getSuppressed()).hasSize(1);
  }

  @Test
  void redisUnavailableException_redactsItsMessageAndCauses() {
    IllegalArgumentException parser =
        new IllegalArgumentException("Illegal character in authority: redis://:pa^ss@h:1");

    RedisUnavailableException e =
        new RedisUnavailableException("failed: " + parser.getMessage(), parser);

    assertThat(trace(e)).doesNotContain("pa^ss");
  }

  private static String trace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
