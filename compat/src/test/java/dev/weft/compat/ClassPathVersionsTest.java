package dev.weft.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import io.lettuce.core.RedisClient;
import io.netty.util.Version;
import org.junit.jupiter.api.Test;

/**
 * The core suite in this module proves something only if it ran on the versions this module
 * names: a change to the parent's dependency management could otherwise put Weft's own versions
 * back on the class path and leave every test green for the wrong reason.
 */
class ClassPathVersionsTest {

  @Test
  void classPath_holdsTheNamedLettuceJacksonAndNetty() {
    assertThat(RedisClient.class.getPackage().getImplementationVersion())
        .as("Lettuce on the class path")
        .startsWith(System.getProperty("weft.compat.lettuce"));
    assertThat(PackageVersion.VERSION.toString())
        .as("jackson-databind on the class path")
        .isEqualTo(System.getProperty("weft.compat.jackson"));
    assertThat(Version.identify().get("netty-common").artifactVersion())
        .as("Netty on the class path")
        .isEqualTo(System.getProperty("weft.compat.netty"));
  }
}
