package dev.weft;

import java.time.Duration;

/**
 * A process whose global runtime takes its Redis and key prefix from the environment ({@code
 * WEFT_REDIS_URL}, {@code WEFT_KEY_PREFIX}), as an application's would: it caches {@code args[0]}
 * under the key {@code shared:1}, prints what it got, and exits.
 */
public final class PrefixedProcess {

  private PrefixedProcess() {}

  /** @param args the value to cache; prints the runtime's health too, for the test's log */
  public static void main(String[] args) {
    String got =
        Weft.global().cached("shared:1", Duration.ofMinutes(1), String.class, () -> args[0]);
    System.out.println("cached " + got + " under prefix '" + Weft.global().keyPrefix() + "' at "
        + Weft.global().redisUrl() + ": " + Weft.global().health());
    Weft.global().close();
  }
}
