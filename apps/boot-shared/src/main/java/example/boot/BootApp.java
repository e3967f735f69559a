package example.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An ordinary Spring Boot web application that uses Weft's annotations and nothing else of Weft:
 * its build depends on {@code weft-annotations} only, and the Weft agent weaves it at run time
 * ({@code java -javaagent:weft-agent.jar -jar app.jar}). The same sources are built on Spring
 * Boot 3 and Spring Boot 4, each with the library versions its Boot manages.
 */
@SpringBootApplication
public class BootApp {

  /**
   * Starts the application.
   *
   * @param args Spring Boot's command line, such as {@code --server.port=0}
   */
  public static void main(String[] args) {
    SpringApplication.run(BootApp.class, args);
  }
}
