package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class RedisSentinelGroupTest {

  @Test
  void failover_promotesTheReplica_andTheSentinelsNameIt() {
    try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
      int master = group.masterPort();
      int replica = group.replicaPort();
      assertThat(group.role(master)).isEqualTo("master");
      assertThat(group.role(replica)).isEqualTo("slave");
      assertThat(group.url()).startsWith("redis-sentinel://127.0.0.1:").endsWith("/0#mymaster");

      int promoted = group.failover();

      assertThat(promoted).isEqualTo(replica);
      assertThat(group.role(promoted)).isEqualTo("master");
    }
  }
}
