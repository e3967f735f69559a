package dev.weft.apps;

/**
 * A Spring Boot 3.5 fat jar (Lettuce 6, Netty 4.1, Jackson 2, Logback) under the agent, on the JDK
 * that runs the build.
 */
class Boot3AppIT extends SpringBootAppContract {

  @Override
  String jar() {
    return AppJvm.existing("weft.it.boot3.jar", "the Spring Boot 3 example's fat jar");
  }
}
