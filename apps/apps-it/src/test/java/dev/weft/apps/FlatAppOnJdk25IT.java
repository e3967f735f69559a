package dev.weft.apps;

import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * {@link FlatAppIT} on JDK 25 ({@code -Dweft.it.jdk25=<bin/java>}; {@code -Dweft.it.jdk25=skip}
 * leaves it out, reported as skipped).
 */
@DisabledIfSystemProperty(named = "weft.it.jdk25", matches = "skip",
    disabledReason = "JDK 25 runs switched off by -Dweft.it.jdk25=skip")
class FlatAppOnJdk25IT extends FlatAppIT {

  @Override
  String java() {
    return AppJvm.jdk25();
  }

  @Override
  int javaFeature() {
    return 25;
  }
}
