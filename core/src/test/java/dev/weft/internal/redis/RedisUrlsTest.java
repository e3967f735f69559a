package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisUrlsTest {

  @Test
  void resolve_prefersWeftVariable_thenRedisUrl_thenProperty_thenDefault() {
    assertThat(RedisUrls.resolve(Map.of("WEFT_REDIS_URL", "redis://a:1", "REDIS_URL", "redis://b:2"), "redis://c:3"))
        .isEqualTo("redis://a:1");
    assertThat(RedisUrls.resolve(Map.of("REDIS_URL", "redis://b:2"), "redis://c:3"))
        .isEqualTo("redis://b:2");
    assertThat(RedisUrls.resolve(Map.of("REDIS_URL", " "), "redis://c:3")).isEqualTo("redis://c:3");
    assertThat(RedisUrls.resolve(Map.of(), null)).isEqualTo("redis://localhost:6379");
  }

  @Test
  void clusterSeeds_splitsHostsAndKeepsCredentials() {
    assertThat(RedisUrls.clusterSeeds("redis-cluster://user:pw@h1:7000,h2:7001"))
        .extracting(RedisURI::getHost, RedisURI::getPort, RedisURI::isSsl)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("h1", 7000, false),
            org.assertj.core.groups.Tuple.tuple("h2", 7001, false));
    RedisURI first = RedisUrls.clusterSeeds("redis-cluster://user:pw@h1:7000,h2:7001").get(0);
    assertThat(first.getCredentialsProvider().resolveCredentials().block().getUsername())
        .isEqualTo("user");
    assertThat(RedisUrls.clusterSeeds("rediss-cluster://h1:7000").get(0).isSsl()).isTrue();
  }

  @Test
  void redact_hidesPasswords() {
    assertThat(RedisUrls.redact("redis://user:secret@h:1")).isEqualTo("redis://user:***@h:1");
    assertThat(RedisUrls.redact("redis://secret@h:1")).isEqualTo("redis://***@h:1");
    assertThat(RedisUrls.redact("redis://h:1")).isEqualTo("redis://h:1");
  }
}
