package dev.weft.apps;

/**
 * A Spring Boot 4.0 fat jar (Spring Framework 7, Lettuce 6.8, Netty 4.2, Jackson 3, Logback) under
 * the agent, on the JDK that runs the build.
 */
class Boot4AppIT extends SpringBootAppContract {

  @Override
  String jar() {
    return AppJvm.existing("weft.it.boot4.jar", "the Spring Boot 4 example's fat jar");
  }
}
