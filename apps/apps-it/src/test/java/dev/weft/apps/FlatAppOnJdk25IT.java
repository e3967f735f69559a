package dev.weft.apps;

/**
 * {@link FlatAppIT} on JDK 25 ({@code -Dweft.it.jdk25=<bin/java>}; {@code -Dweft.it.jdk25=skip}
 * leaves it out).
 */
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
