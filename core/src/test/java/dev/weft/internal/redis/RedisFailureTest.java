package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisFailure}: the kind of each failure, as Redis 7 (and Redis 6, inside scripts) words
 * its error replies, and the fix each WARN names; no Redis needed. The replies are copied from
 * redis-server 7.0.
 */
class RedisFailureTest {

  @Test
  void transportFailures_areOutagesThatCountAgainstTheBreaker() {
    assertThat(kind(new RedisConnectionException("Unable to connect to 127.0.0.1:1")))
        .isEqualTo(FailureKind.CONNECTION);
    assertThat(kind(new RedisCommandTimeoutException("Command timed out after 1 second(s)")))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(kind(new RedisException("Currently not connected. Commands are rejected.")))
        .isEqualTo(FailureKind.REJECTED);
    assertThat(kind(new RedisException("Request queue size exceeded: 2048. Commands are not"
            + " accepted until the queue size drops.")))
        .isEqualTo(FailureKind.REJECTED);
    assertThat(kind(new RedisException("Connection closed"))).isEqualTo(FailureKind.CONNECTION);
    for (FailureKind k : new FailureKind[] {
        FailureKind.CONNECTION, FailureKind.TIMEOUT, FailureKind.REJECTED}) {
      assertThat(k.outage()).isTrue();
      assertThat(k.countsAgainstBreaker()).isTrue();
    }
  }

  @Test
  void repliesOfAServerThatCannotServeTheCall_areOutages() {
    assertThat(reply("OOM command not allowed when used memory > 'maxmemory'."))
        .isEqualTo(FailureKind.OOM);
    assertThat(reply("READONLY You can't write against a read only replica."))
        .isEqualTo(FailureKind.READONLY);
    assertThat(reply("NOPERM this user has no permissions to run the 'evalsha' command"))
        .isEqualTo(FailureKind.NOPERM);
    assertThat(reply("NOAUTH Authentication required.")).isEqualTo(FailureKind.NOAUTH);
    assertThat(reply("WRONGPASS invalid username-password pair or user is disabled."))
        .isEqualTo(FailureKind.WRONGPASS);
    assertThat(reply("ERR AUTH <password> called without any password configured for the"
            + " default user. Are you sure your configuration is correct?"))
        .isEqualTo(FailureKind.WRONGPASS);
    assertThat(reply("TRYAGAIN Multiple keys request during rehashing of slot"))
        .isEqualTo(FailureKind.TRYAGAIN);
    assertThat(reply("LOADING Redis is loading the dataset in memory"))
        .isEqualTo(FailureKind.LOADING);
    assertThat(reply("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to"
            + " 'no'."))
        .isEqualTo(FailureKind.MASTERDOWN);
    for (FailureKind k : new FailureKind[] {
        FailureKind.OOM, FailureKind.READONLY, FailureKind.NOPERM, FailureKind.NOAUTH,
        FailureKind.WRONGPASS, FailureKind.TRYAGAIN, FailureKind.LOADING, FailureKind.MASTERDOWN}) {
      assertThat(k.outage()).as("%s is an outage", k).isTrue();
    }
  }

  @Test
  void repliesRaisedInsideAScript_keepTheirKind_onRedis7AndRedis6() {
    assertThat(reply("OOM command not allowed when used memory > 'maxmemory'. script:"
            + " ff967d0ae0e68b4f9e360fa91c54598bc25ad9b6, on @user_script:1."))
        .isEqualTo(FailureKind.OOM);
    assertThat(reply("READONLY You can't write against a read only replica. script:"
            + " ff967d0ae0e68b4f9e360fa91c54598bc25ad9b6, on @user_script:1."))
        .isEqualTo(FailureKind.READONLY);
    assertThat(reply("ERR The user executing the script can't access at least one of the keys"
            + " mentioned in the command arguments script: 733d, on @user_script:1."))
        .isEqualTo(FailureKind.NOPERM);
    assertThat(reply("ERR Error running script (call to f_9c96): @user_script:1:"
            + " @user_script: 1: -OOM command not allowed when used memory > 'maxmemory'. "))
        .isEqualTo(FailureKind.OOM);
    // Redis 6.2: an ACL refusal inside a script, wrapped like any other script error
    assertThat(reply("ERR Error running script (call to f_7d53): @user_script:11:"
            + " @user_script: 11: The user executing the script can't run this command or"
            + " subcommand "))
        .isEqualTo(FailureKind.NOPERM);
    // Redis 6.2.11: an error the script's redis.call raised, without the dash
    assertThat(reply("ERR Error running script (call to f_d3c21d0c2b9ca22f82737626a27bcaf5d288f99f):"
            + " @user_script:1: WRONGTYPE Operation against a key holding the wrong kind of value"))
        .isEqualTo(FailureKind.WRONGTYPE);
  }

  @Test
  void defects_areNotOutages_andDoNotCountAgainstTheBreaker() {
    assertThat(reply("WRONGTYPE Operation against a key holding the wrong kind of value script:"
            + " 9c96, on @user_script:1."))
        .isEqualTo(FailureKind.WRONGTYPE);
    assertThat(reply("ERR user_script:1: boom script: 8290, on @user_script:1."))
        .isEqualTo(FailureKind.SCRIPT);
    assertThat(reply("ERR Error running script (call to f_8290): @user_script:1: boom"))
        .isEqualTo(FailureKind.SCRIPT);
    assertThat(reply("BUSYKEY Target key name already exists.")).isEqualTo(FailureKind.OTHER);
    assertThat(kind(new IllegalStateException("bug"))).isEqualTo(FailureKind.OTHER);
    for (FailureKind k : new FailureKind[] {
        FailureKind.WRONGTYPE, FailureKind.SCRIPT, FailureKind.OTHER}) {
      assertThat(k.outage()).isFalse();
      assertThat(k.countsAgainstBreaker()).isFalse();
    }
  }

  @Test
  void aFailedHandshake_takesTheKindOfAnOutageReplyInsideIt_elseIsAConnectionFailure() {
    RedisConnectionException failedHandshake =
        new RedisConnectionException(
            "Unable to connect to 127.0.0.1:6379",
            new CompletionException(
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair")));
    assertThat(kind(failedHandshake)).isEqualTo(FailureKind.WRONGPASS);
    RedisConnectionException tooManyClients =
        new RedisConnectionException(
            "Unable to connect to 127.0.0.1:6379",
            new RedisCommandExecutionException("ERR max number of clients reached"));
    assertThat(kind(tooManyClients)).isEqualTo(FailureKind.CONNECTION);
  }

  @Test
  void breakerIgnoresPartialFailures_andCountsWhatFailsEveryCommand() {
    assertThat(FailureKind.OOM.countsAgainstBreaker()).isFalse();
    assertThat(FailureKind.NOPERM.countsAgainstBreaker()).isFalse();
    assertThat(FailureKind.TRYAGAIN.countsAgainstBreaker()).isFalse();
    assertThat(FailureKind.READONLY.countsAgainstBreaker()).isTrue();
    assertThat(FailureKind.NOAUTH.countsAgainstBreaker()).isTrue();
    assertThat(RedisGateway.ignoredByBreaker(oom())).isTrue();
    assertThat(RedisGateway.countsAgainstBreaker(oom())).isFalse();
    assertThat(RedisGateway.isOutage(oom())).isTrue();
  }

  @Test
  void fixForOom_namesTheMemoryPolicy() {
    assertThat(RedisFailure.fix(FailureKind.OOM, oom(), "redis://h:1"))
        .contains("maxmemory-policy noeviction")
        .contains("allkeys-");
  }

  @Test
  void fixForNoperm_namesTheMissingCommandKeyOrChannel_andTheUser() {
    String url = "redis://weft:hunter2-secret@h:6379";
    assertThat(RedisFailure.fix(FailureKind.NOPERM,
            execution("NOPERM this user has no permissions to run the 'evalsha' command"), url))
        .contains("ACL SETUSER weft +evalsha")
        .doesNotContain("hunter2");
    assertThat(RedisFailure.fix(FailureKind.NOPERM,
            execution("NOPERM User ops has no permissions to run the 'client|setname' command"),
            url))
        .contains("ACL SETUSER ops +client|setname");
    assertThat(RedisFailure.fix(FailureKind.NOPERM,
            execution("NOPERM this user has no permissions to access one of the keys used as"
                + " arguments"), url))
        .contains("ACL SETUSER weft ~weft:*");
    assertThat(RedisFailure.fix(FailureKind.NOPERM,
            execution("ERR The user executing the script can't publish to the channel mentioned"
                + " in the command script: afd1, on @user_script:1."), url))
        .contains("ACL SETUSER weft &weft:changes");
  }

  @Test
  void fixForNoperm_neverTakesAPasswordForAUserName() {
    // redis://secret@host: Lettuce reads a lone user-info as the password of the default user
    assertThat(RedisFailure.fix(FailureKind.NOPERM,
            execution("NOPERM this user has no permissions to run the 'eval' command"),
            "redis://hunter2-secret@h:6379"))
        .contains("ACL SETUSER default +eval")
        .doesNotContain("hunter2");
  }

  @Test
  void fixForAuthAndReadonly_sayWhatHappened() {
    assertThat(RedisFailure.fix(FailureKind.NOAUTH, execution("NOAUTH Authentication required."),
            null))
        .startsWith("the password/ACL user is wrong or was rotated");
    assertThat(RedisFailure.fix(FailureKind.READONLY,
            execution("READONLY You can't write against a read only replica."), null))
        .startsWith("connected to a replica (failover?)");
    assertThat(RedisFailure.fix(FailureKind.TIMEOUT, new RedisCommandTimeoutException("t"), null))
        .isNull();
  }

  @Test
  void unavailableException_carriesTheKindOfItsCause() {
    assertThat(new RedisUnavailableException("m", oom()).kind()).isEqualTo(FailureKind.OOM);
    assertThat(new RedisUnavailableException("m", null).kind()).isEqualTo(FailureKind.CONNECTION);
    assertThat(kind(new RedisUnavailableException("m", oom()))).isEqualTo(FailureKind.OOM);
  }

  private static RedisCommandExecutionException oom() {
    return execution("OOM command not allowed when used memory > 'maxmemory'.");
  }

  private static RedisCommandExecutionException execution(String reply) {
    return new RedisCommandExecutionException(reply);
  }

  private static FailureKind reply(String reply) {
    return kind(execution(reply));
  }

  private static FailureKind kind(Throwable failure) {
    return RedisFailure.classify(failure);
  }
}
