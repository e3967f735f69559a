package dev.weft.spring.boot.actuate;

import dev.weft.Weft;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * The {@code weft} entry of {@code /actuator/info}, on both Boot lines: {@code redisVersion}
 * (absent while Redis does not answer), {@code mode} ({@code standalone}, {@code sentinel} or
 * {@code cluster}, from the runtime's Redis URL), {@code keyPrefix} and {@code name} (empty when
 * none).
 */
final class WeftInfoContributor implements InfoContributor {

  private final Weft weft;

  WeftInfoContributor(Weft weft) {
    this.weft = weft;
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, Object> details = new LinkedHashMap<>();
    weft.redisVersion().ifPresent(version -> details.put("redisVersion", version));
    details.put("mode", mode(weft.redisUrl()));
    details.put("keyPrefix", weft.keyPrefix());
    details.put("name", weft.name());
    builder.withDetail("weft", details);
  }

  static String mode(String url) {
    if (url.startsWith("redis-cluster://") || url.startsWith("rediss-cluster://")) {
      return "cluster";
    }
    if (url.startsWith("redis-sentinel://") || url.startsWith("rediss-sentinel://")) {
      return "sentinel";
    }
    return "standalone";
  }
}
