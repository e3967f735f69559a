package dev.weft.apps;

/**
 * {@link Boot3AppIT} on JDK 25 ({@code -Dweft.it.jdk25=<bin/java>}; {@code -Dweft.it.jdk25=skip}
 * leaves it out).
 */
class Boot3AppOnJdk25IT extends Boot3AppIT {

  @Override
  String java() {
    return AppJvm.jdk25();
  }

  @Override
  int javaFeature() {
    return 25;
  }
}
