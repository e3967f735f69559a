package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import dev.weft.exception.WeftConfigurationException;
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

  @Test
  void redlock_splitsOnlyBeforeAScheme_soACommaInAPasswordStays() {
    assertThat(RedisUrls.redlock("redis://:a,b@h1:1, redis://:c%2Cd@h2:2,rediss://h3:3", null))
        .containsExactly("redis://:a,b@h1:1", "redis://:c%2Cd@h2:2", "rediss://h3:3");
    assertThat(RedisUrls.redlock(null, "redis://h1:1,redis://h2:2,"))
        .containsExactly("redis://h1:1", "redis://h2:2");
    assertThat(RedisUrls.redlock(" ", null)).isEmpty();
  }

  @Test
  void check_validUrls_passUnchanged() {
    for (String url :
        new String[] {
          "redis://localhost:6379", "redis://u:p%5Ea%25s%2Cs%40w%3Ard@h:1/2",
          "redis://:a,b:c@h:1", "rediss://h:6380?verifyPeer=NONE", "redis://[::1]:6379",
          "redis-sentinel://:p@s1:26379,s2:26379?sentinelMasterId=m",
          "redis-cluster://u:p@h1:7000,h2:7001", "redis://h:1?clientName=a@b"
        }) {
      assertThat(RedisUrls.check(url, "X")).isEqualTo(url);
    }
  }

  @Test
  void check_reservedCharacterInPassword_namesTheSettingAndTheEncoding_notThePassword() {
    assertThatThrownBy(() -> RedisUrls.check("redis://:pa^ss@h:6379", "WEFT_REDIS_URL"))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageStartingWith("WEFT_REDIS_URL: ")
        .hasMessageContaining("'^' as %5E")
        .hasMessageContaining("redis://:***@h:6379")
        .hasMessageNotContaining("pa^ss");
    assertThatThrownBy(() -> RedisUrls.check("redis://u:50%off@h:6379", "weft.redis.url"))
        .hasMessageContaining("'%' as %25")
        .hasMessageNotContaining("50%off");
    assertThatThrownBy(() -> RedisUrls.check("redis://u:p@ss@h:6379", "X"))
        .hasMessageContaining("'@' as %40")
        .hasMessageNotContaining("p@ss");
    assertThatThrownBy(() -> RedisUrls.check("redis://u:p/a?s#s@h:6379", "X"))
        .hasMessageContaining("'/' as %2F")
        .hasMessageNotContaining("p/a?s#s");
    assertThatThrownBy(() -> RedisUrls.check("redis://u:p a@h:6379", "X"))
        .hasMessageContaining("a space as %20")
        .hasMessageNotContaining("p a@");
  }

  @Test
  void check_otherwiseUnparseable_saysWhatIsExpected() {
    assertThatThrownBy(() -> RedisUrls.check("localhost:6379", "REDIS_URL"))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("REDIS_URL")
        .hasMessageContaining("no scheme");
    assertThatThrownBy(() -> RedisUrls.check("redis://", "X"))
        .hasMessageContaining("cannot be parsed")
        .hasMessageContaining("write redis://[user:password@]host:port");
    assertThatThrownBy(() -> RedisUrls.check("http://:secret@h:1", "X"))
        .hasMessageContaining("cannot be parsed")
        .hasMessageNotContaining("secret");
  }

  @Test
  void checkRedlock_cluster_isRefused() {
    assertThatThrownBy(() -> RedisUrls.checkRedlock("redis-cluster://:secret@h:1", "WEFT_REDLOCK_URLS"))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("not a cluster")
        .hasMessageNotContaining("secret");
  }
}
