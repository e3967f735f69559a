package example.boot;

import dev.weft.annotation.RateLimited;
import org.springframework.stereotype.Service;

/** A greeting that each user may ask for twice a minute, enforced by {@code @RateLimited}. */
@Service
public class Greetings {

  /**
   * @param user who asks, not {@code null}
   * @return the greeting, never {@code null}
   * @throws dev.weft.exception.RateLimitExceededException if the user asked twice in the last
   *     minute
   */
  @RateLimited(key = "greet:{user}", permits = 2, window = "1m")
  public String greet(String user) {
    return "hello " + user;
  }
}
