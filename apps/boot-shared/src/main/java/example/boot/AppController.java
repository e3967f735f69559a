package example.boot;

import dev.weft.exception.LockNotAcquiredException;
import dev.weft.exception.RateLimitExceededException;
import example.apps.Libraries;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application's HTTP interface, the same in every example application: cached items, a rate
 * limited greeting, a locked job, the application's own Redis client and the libraries it runs
 * on.
 */
@RestController
public class AppController {

  private final Items items;
  private final Greetings greetings;
  private final Jobs jobs;
  private final StringRedisTemplate redis;

  /** Spring injects the services and Boot's {@link StringRedisTemplate}. */
  public AppController(Items items, Greetings greetings, Jobs jobs, StringRedisTemplate redis) {
    this.items = items;
    this.greetings = greetings;
    this.jobs = jobs;
    this.redis = redis;
  }

  /** @return the item, cached by {@code @Cached} */
  @GetMapping("/items/{id}")
  public Items.Item item(@PathVariable String id) {
    return items.find(id);
  }

  /** @return how often the items' source was reached */
  @GetMapping("/items-loads")
  public Map<String, Integer> loads() {
    return Map.of("loads", items.loads());
  }

  /** @return the greeting; 429 once the user's limit is spent */
  @GetMapping("/greetings/{user}")
  public Map<String, String> greet(@PathVariable String user) {
    return Map.of("greeting", greetings.greet(user));
  }

  /** Runs the job until {@code /jobs/{name}/finish}; 409 if another run holds its lock. */
  @PostMapping("/jobs/{name}")
  public Map<String, String> runJob(@PathVariable String name) throws InterruptedException {
    return Map.of("result", jobs.run(name));
  }

  /** @return how many runs of the job are inside it */
  @GetMapping("/jobs/{name}")
  public Map<String, Integer> job(@PathVariable String name) {
    return Map.of("running", jobs.running(name));
  }

  /** Lets the job's run finish. */
  @PostMapping("/jobs/{name}/finish")
  public Map<String, String> finishJob(@PathVariable String name) {
    jobs.finish(name);
    return Map.of("result", "told to finish");
  }

  /** Stores a value through the application's own {@link StringRedisTemplate}. */
  @PutMapping("/own-redis/{key}")
  public Map<String, String> put(@PathVariable String key, @RequestBody String value) {
    redis.opsForValue().set(key, value);
    return Map.of("stored", key);
  }

  /** @return the value read through the application's own {@link StringRedisTemplate} */
  @GetMapping("/own-redis/{key}")
  public Map<String, String> get(@PathVariable String key) {
    String value = redis.opsForValue().get(key);
    return Map.of("value", value == null ? "(none)" : value);
  }

  /** @return the versions and jars of the libraries the application runs on */
  @GetMapping("/versions")
  public Map<String, Object> versions() {
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("java", Runtime.version().toString());
    versions.put("springBoot", SpringBootVersion.getVersion());
    versions.put("spring", SpringVersion.getVersion());
    versions.put("slf4jBackend", LoggerFactory.getILoggerFactory().getClass().getName());
    versions.put("libraries", Libraries.report(AppController.class.getClassLoader()));
    return versions;
  }

  /** A spent limit: 429 with the headers Weft's decision gives ({@code Retry-After} and more). */
  @ExceptionHandler(RateLimitExceededException.class)
  public ResponseEntity<Map<String, String>> limited(RateLimitExceededException e) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS);
    e.headers().forEach(response::header);
    return response.body(Map.of("error", "too many requests", "limit", e.limit()));
  }

  /** A lock held by another run: 409. */
  @ExceptionHandler(LockNotAcquiredException.class)
  public ResponseEntity<Map<String, String>> locked(LockNotAcquiredException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(Map.of("error", e.getClass().getName(), "key", e.key()));
  }
}
