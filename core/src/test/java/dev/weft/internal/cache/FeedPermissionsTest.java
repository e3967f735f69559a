package dev.weft.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one line that says what the runtime's Redis user lacks, built from Redis's answers. */
class FeedPermissionsTest {

  @Test
  void channelRefused_namesChannelRuleAndAllchannels() {
    FeedPermissions.Missing missing = new FeedPermissions.Missing("app", "weft:changes");
    missing.refused("PUBLISH", "This user has no permissions to access the 'weft:changes' channel");
    missing.refused("SUBSCRIBE", "This user has no permissions to access the 'weft:changes' channel");

    assertThat(missing.none()).isFalse();
    assertThat(missing.publishRefused()).isTrue();
    assertThat(missing.describe())
        .contains("Weft notifications are off")
        .doesNotContain("scripts cannot run")
        .endsWith("Grant it with: ACL SETUSER app &weft:changes (or allchannels)");
  }

  @Test
  void commandsRefused_nameTheCommandRules() {
    FeedPermissions.Missing missing = new FeedPermissions.Missing("worker", "weft:changes");
    missing.refused("SUBSCRIBE", "This user has no permissions to run the 'subscribe' command");
    missing.refused("EVALSHA", "This user has no permissions to run the 'evalsha' command");

    assertThat(missing.publishRefused()).isFalse();
    assertThat(missing.describe())
        .contains("Weft notifications are off")
        .contains("scripts cannot run")
        .endsWith("Grant it with: ACL SETUSER worker +subscribe +evalsha");
  }

  @Test
  void keyRefused_namesTheKeySpacesPattern() {
    FeedPermissions.Missing missing =
        new FeedPermissions.Missing("app", "orders:weft:changes", "~orders:*");
    missing.refused("SET",
        "This user has no permissions to access the 'orders:weft:changes:probe' key");

    assertThat(missing.notifications()).isFalse();
    assertThat(missing.describe())
        .contains("Weft cannot write its keys (orders:*)")
        .doesNotContain("scripts cannot run")
        .endsWith("Grant it with: ACL SETUSER app ~orders:*");
  }

  @Test
  void nothingRefused_none() {
    assertThat(new FeedPermissions.Missing("default", "weft:changes").none()).isTrue();
  }

  @Test
  void userOf_takesTheUrlsUserNeverItsPassword() {
    assertThat(ChangeFeed.userOf("redis://app:pw@host:6379")).isEqualTo("app");
    assertThat(ChangeFeed.userOf("redis://pw@host:6379")).isEqualTo("default");
    assertThat(ChangeFeed.userOf("redis://host:6379")).isEqualTo("default");
    assertThat(ChangeFeed.userOf("rediss://svc:p@ss:w@host:6380/0")).isEqualTo("svc");
  }
}
