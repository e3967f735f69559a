package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application compiled on the module path, as a user of the published jars compiles it: it
 * reaches the runtime, the patterns, the annotations and the exceptions through {@code requires
 * dev.weft.core}, and cannot import {@code dev.weft.internal} (or the adapters' {@code
 * dev.weft.weaving}). javac runs in this JVM over weft-core's and weft-annotations' classes (each
 * with its module-info) and their libraries from the test class path.
 */
class ModuleBoundaryTest {

  @TempDir Path dir;

  @Test
  void moduleApplication_usesEveryPatternFromThePublicPackages_andCompiles() throws IOException {
    String output = compile("""
        package com.example.app;

        import dev.weft.Weft;
        import dev.weft.annotation.Cached;
        import dev.weft.annotation.DistributedLock;
        import dev.weft.annotation.LockContext;
        import dev.weft.annotation.RateLimitAlgorithm;
        import dev.weft.bloom.BloomFilter;
        import dev.weft.bloom.BloomOptions;
        import dev.weft.cache.CacheOptions;
        import dev.weft.cache.WeftCache;
        import dev.weft.codec.ValueCodec;
        import dev.weft.counter.Counter;
        import dev.weft.counter.UniqueCounter;
        import dev.weft.exception.LockNotAcquiredException;
        import dev.weft.exception.WeftUnavailableException;
        import dev.weft.leaderboard.Leaderboard;
        import dev.weft.lock.LockLease;
        import dev.weft.pubsub.Publisher;
        import dev.weft.pubsub.Subscriber;
        import dev.weft.queue.ReliableQueue;
        import dev.weft.ratelimit.Limit;
        import dev.weft.ratelimit.RateLimiter;
        import dev.weft.session.Sessions;
        import dev.weft.stream.StreamConsumers;
        import dev.weft.stream.StreamProducer;
        import dev.weft.writebehind.WriteBehind;
        import dev.weft.writebehind.WriteBehindOptions;
        import java.time.Duration;

        public class App {
          public record Order(long id) {}

          @Cached(key = "p:{id}", ttl = "1m")
          public String price(long id) { return "1"; }

          @DistributedLock(key = "job")
          public long job() { return LockContext.currentFencingToken(); }

          static String use(Weft weft) throws LockNotAcquiredException {
            WeftCache<String> cache = weft.cache(String.class, CacheOptions.defaults().ttl("1m"));
            RateLimiter limiter =
                weft.rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, 10, "1s"));
            Counter counter = weft.counter("visits");
            UniqueCounter visitors = weft.uniqueCounter("visitors");
            Leaderboard board = weft.leaderboard("scores");
            Sessions sessions = weft.sessions("web");
            ReliableQueue<Order> queue = weft.queue("orders", Order.class);
            StreamProducer<Order> producer = weft.streamProducer("order-events", Order.class);
            StreamConsumers consumers = weft.streamConsumers();
            Publisher publisher = weft.publisher();
            Subscriber subscriber = weft.subscriber();
            BloomFilter seen = weft.bloomFilter("seen", BloomOptions.defaults());
            WriteBehind<Order> writes = weft.writeBehind(
                "orders", Order.class, (key, order) -> { }, WriteBehindOptions.defaults());
            ValueCodec codec = null;
            try (LockLease lease = weft.lock("k").acquire(Duration.ofSeconds(1))) {
              return cache.get("k", () -> "v") + lease.fencingToken() + limiter + counter
                  + visitors + board + sessions + queue + producer + consumers + publisher
                  + subscriber + seen + writes + codec;
            } catch (WeftUnavailableException e) {
              return null;
            }
          }
        }
        """);

    assertThat(output).isEmpty();
  }

  @Test
  void moduleApplication_importingInternals_doesNotCompile() throws IOException {
    String output = compile("""
        package com.example.app;

        import dev.weft.internal.WeftAccess;
        import dev.weft.weaving.Woven;

        public class App {
          Object gateway(dev.weft.Weft weft) { return WeftAccess.redis(weft); }
        }
        """);

    assertThat(output)
        .contains("package dev.weft.internal is not visible")
        .contains("package dev.weft.weaving is not visible");
  }

  private String compile(String app) throws IOException {
    Path src = dir.resolve("src/com.example.app");
    Files.createDirectories(src.resolve("com/example/app"));
    Files.writeString(src.resolve("module-info.java"), "module com.example.app {\n"
        + "  requires dev.weft.core;\n}\n");
    Files.writeString(src.resolve("com/example/app/App.java"), app);
    List<String> args = new ArrayList<>(List.of(
        "-d", dir.resolve("out").toString(),
        "--module-path", modulePath(),
        "-proc:none",
        "-Xlint:-options"));
    try (Stream<Path> files = Files.walk(src)) {
      files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).forEach(args::add);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ToolProvider.getSystemJavaCompiler().run(null, out, out, args.toArray(String[]::new));
    return out.toString(StandardCharsets.UTF_8);
  }

  /** weft-core's and weft-annotations' classes and the libraries weft-core reads. */
  private static String modulePath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(ModuleBoundaryTest::onModulePath)
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static boolean onModulePath(String entry) {
    String path = entry.replace('\\', '/');
    if (Files.isDirectory(Path.of(entry))) {
      return path.endsWith("/core/target/classes") || path.endsWith("/annotations/target/classes")
          || path.contains("/syntax/target/classes");
    }
    String jar = path.substring(path.lastIndexOf('/') + 1);
    boolean weftJar = jar.startsWith("weft-core-") || jar.startsWith("weft-annotations")
        || jar.startsWith("weft-syntax");
    if (weftJar) {
      return !jar.endsWith("-tests.jar"); // the compat module runs these tests on weft-core's jar
    }
    return Stream.of("lettuce-core", "netty-", "reactor-core", "reactive-streams", "jackson-",
                "caffeine", "commons-codec", "resilience4j-", "slf4j-api", "vavr")
            .anyMatch(jar::startsWith);
  }
}
