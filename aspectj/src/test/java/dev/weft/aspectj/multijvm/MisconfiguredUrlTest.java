package dev.weft.aspectj.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Redis URL that cannot be parsed, in a fresh process whose woven methods create the global
 * runtime: every woven call gets one clear {@code WeftConfigurationException} naming {@code
 * WEFT_REDIS_URL} and the fix, logged once, and the password appears nowhere in what the process
 * prints.
 *
 * <p>Regression: with {@code WEFT_REDIS_URL=redis://:pa^ss@host:6379} every call, {@code @Cached}
 * included, threw {@code IllegalArgumentException: Illegal character in authority ...
 * redis://:pa^ss@...}, password and all.
 */
class MisconfiguredUrlTest {

  private static final String SECRET = "mis^conf-S3cr";

  @Test
  void unparseableUrl_everyWovenCallThrowsTheConfigurationError_loggedOnce_withoutTheSecret()
      throws Exception {
    List<String> lines;
    try (ChildJvm child =
        new ChildJvm(MisconfiguredUrlChild.class, "redis://:" + SECRET + "@127.0.0.1:6379")) {
      lines = child.linesUntil("DONE", 60);
    }

    assertThat(lines.stream().filter(l -> l.startsWith("THREW ")))
        .as("%s", lines)
        .hasSize(3)
        .allMatch(l -> l.startsWith("THREW dev.weft.exception.WeftConfigurationException: WEFT_REDIS_URL: ")
            && l.contains("'^' as %5E"));
    assertThat(lines).as("%s", lines).noneMatch(l -> l.startsWith("RAN "));
    assertThat(lines.stream().filter(l -> l.contains("Weft cannot create its runtime")))
        .as("%s", lines)
        .hasSize(1);
    assertThat(lines).noneMatch(l -> l.contains(SECRET));
  }
}
