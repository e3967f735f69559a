package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Which failures count against the gateway's circuit breaker; no Redis needed. */
class OutageClassificationTest {

  @Test
  void lostConnectionsAndTimeouts_areOutages() {
    assertThat(RedisGateway.isOutage(new RedisConnectionException("Unable to connect"))).isTrue();
    assertThat(RedisGateway.isOutage(new RedisCommandTimeoutException("Command timed out")))
        .isTrue();
    assertThat(RedisGateway.isOutage(
            new RedisException("Currently not connected. Commands are rejected.")))
        .isTrue();
    assertThat(RedisGateway.isOutage(new RedisException("Connection disconnected"))).isTrue();
    assertThat(RedisGateway.isOutage(
            new RedisException("Internal stack size exceeded: 2048.")))
        .isTrue();
  }

  @Test
  void repliesOfAServerThatCannotServeNow_areOutages() {
    assertThat(RedisGateway.isOutage(new RedisLoadingException("LOADING Redis is loading")))
        .isTrue();
    assertThat(RedisGateway.isOutage(new RedisBusyException("BUSY Redis is busy running a script")))
        .isTrue();
    assertThat(RedisGateway.isOutage(
            new RedisCommandExecutionException("CLUSTERDOWN The cluster is down")))
        .isTrue();
    assertThat(RedisGateway.isOutage(
            new RedisCommandExecutionException("MASTERDOWN Link with MASTER is down")))
        .isTrue();
  }

  @Test
  void errorRepliesOfAWorkingServer_areNotOutages() {
    assertThat(RedisGateway.isOutage(new RedisCommandExecutionException(
            "WRONGTYPE Operation against a key holding the wrong kind of value")))
        .isFalse();
    assertThat(RedisGateway.isOutage(
            new RedisCommandExecutionException("ERR Error running script")))
        .isFalse();
    assertThat(RedisGateway.isOutage(new RedisNoScriptException("NOSCRIPT No matching script")))
        .isFalse();
    assertThat(RedisGateway.isOutage(new RedisCommandExecutionException("BUSYKEY Target key name already exists")))
        .isFalse();
  }

  @Test
  void interruptsOwnRefusalsAndOtherExceptions_areNotOutages() {
    assertThat(RedisGateway.isOutage(new RedisCommandInterruptedException(new InterruptedException())))
        .isFalse();
    assertThat(RedisGateway.isOutage(new RedisUnavailableException("open", null))).isFalse();
    assertThat(RedisGateway.isOutage(new IllegalStateException("bug"))).isFalse();
    assertThat(RedisGateway.isOutage(new java.io.UncheckedIOException(new IOException()))).isFalse();
  }
}
