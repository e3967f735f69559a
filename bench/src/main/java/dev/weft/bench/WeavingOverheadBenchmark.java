package dev.weft.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.Weft;
import dev.weft.bench.BenchService.Product;
import dev.weft.bench.unwoven.NearProducts;
import dev.weft.bench.unwoven.PlainProducts;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;

/**
 * What interception costs per call, by weaving mode, on a path that never touches Redis: a
 * {@code @Cached(key = "near-product:{sku}", ttl = "1h", near = true)} method whose entry is in its
 * near cache, against the same method unwoven, Caffeine alone, and Spring's {@code @Cacheable}
 * proxy on a Caffeine cache. Average time per call, one thread.
 *
 * <h2>Forks</h2>
 *
 * Each contender runs in its own JVM. {@code LTW} and {@code AGENT} call
 * {@link dev.weft.bench.unwoven.NearProducts}, which the build leaves unwoven, in forks started
 * with {@code -javaagent:aspectjweaver.jar} (weft-aspectj's {@code aop.xml} is in the bench jar) or
 * {@code -javaagent:weft-agent.jar}. JMH's {@code @Fork} cannot give one contender other JVM
 * options than another, so {@link BenchMain} runs this benchmark once per agent, each run with its
 * contenders and its {@code -javaagent} ({@link JavaAgent}). Setup fails unless the fork has the
 * contender's agent and no other, the class file is woven or unwoven as the contender needs (ajc's
 * mark in the jar's class file; AspectJ's fields in the loaded class for {@code LTW}, none for
 * {@code AGENT}), the body ran once across a thousand calls (every call after the first a hit;
 * every call for {@code PLAIN}), and the last 989 of them sent no {@code GET} to Redis (near hits,
 * not Redis hits); teardown fails if the measured calls ran the body or read Redis.
 *
 * <p>{@code SPRING_AOP} is the comparison users make: a method made cacheable in the JVM by a
 * Spring proxy ({@code @Cacheable}, {@code CaffeineCacheManager}, Caffeine built as Weft's near
 * tier). It is not a near cache in front of Redis (nothing keeps it coherent with other
 * processes), so it does less than Weft's near hit; what it shares with it is the question
 * measured here: an interceptor around the same method, in front of the same Caffeine lookup.
 *
 * <p>{@code NOOP_PROXY} is the unannotated method behind a CGLIB proxy whose interceptor only
 * proceeds: the price of any Spring proxy, which the starter's proxy mode pays on top of its own
 * work. {@code WEFT_PROXY} is the unwoven {@code @Cached(near = true)} method of {@code LTW} and
 * {@code AGENT} with the starter's proxy mode in front (no agent): against {@code CTW} it gives
 * what the proxy mode costs per call over weaving.
 *
 * <p>Run (starts one Redis for the whole run; build the agent first, it is not a dependency):
 *
 * <pre>
 * mvn -o -q install -DskipTests -pl annotations,core,aspectj,agent
 * mvn -o -q -pl bench package -DskipTests
 * java -jar bench/target/benchmarks.jar WeavingOverheadBenchmark -f 2 -wi 5 -w 1s -i 10 -r 1s
 * java -jar bench/target/benchmarks.jar WeavingOverheadBenchmark -f 2 -wi 5 -w 1s -i 5 -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WeavingOverheadBenchmark {

  /** Who serves the call; the declaration order is the order BenchMain runs them in. */
  public enum Contender {
    /** The method without any annotation: the body runs on every call. The baseline. */
    PLAIN(JavaAgent.NONE),
    /** Caffeine's {@code getIfPresent} of a finished key, built as Weft's near tier: the floor. */
    CAFFEINE(JavaAgent.NONE),
    /** {@code @Cached(near = true)}, compile-time woven by ajc with weft-aspectj. */
    CTW(JavaAgent.NONE),
    /** The same method, unwoven at build, woven at class load by AspectJ's weaver. */
    LTW(JavaAgent.ASPECTJ_WEAVER),
    /** The same method, unwoven at build, woven at class load by the Weft agent. */
    AGENT(JavaAgent.WEFT_AGENT),
    /** Spring's {@code @Cacheable} on a CGLIB proxy, {@code CaffeineCacheManager}. */
    SPRING_AOP(JavaAgent.NONE),
    /**
     * The unannotated method behind a CGLIB proxy whose one interceptor only proceeds: what any
     * Spring proxy costs before its advice does anything. The body runs on every call.
     */
    NOOP_PROXY(JavaAgent.NONE),
    /**
     * The unwoven method with {@code @Cached(near = true)}, applied by the starter's Spring AOP
     * proxy mode (a CGLIB proxy with Weft's advisor).
     */
    WEFT_PROXY(JavaAgent.NONE);

    final JavaAgent agent;

    Contender(JavaAgent agent) {
      this.agent = agent;
    }

    /** @return whether the body runs once only (a cache), rather than on every call */
    boolean caches() {
      return this != PLAIN && this != NOOP_PROXY;
    }
  }

  /** The contender of this fork, set by JMH. */
  @Param public Contender contender;

  static final String KEY_PREFIX = "near-product:";
  private static final int CHECK_CALLS = 1_000;

  // not final and not static, so that the JIT cannot fold the argument into a constant
  private String sku = "kb-01";
  private String key = KEY_PREFIX + sku;

  private ProductSource source;
  private Cache<String, Product> caffeine;
  private Weft weft;
  private WeftProxyMode<NearProducts> proxyMode;
  private long getsAfterSetup;

  /**
   * Builds the contender and proves that it is what its name says.
   *
   * @throws IllegalStateException if the fork, the class or the calls are not as the contender
   *     needs
   */
  @Setup(Level.Trial)
  public void setUp() {
    contender.agent.requireRunning(contender);
    Product product = BenchService.load(sku);
    if (contender.caches()
        && contender != Contender.CAFFEINE
        && contender != Contender.SPRING_AOP) {
      weft = Weft.builder().redisUrl(BenchMain.redisUrl()).build();
      Weft.install(weft);
    }
    switch (contender) {
      case PLAIN -> {
        requireWovenAtBuild(PlainProducts.class, false);
        source = new PlainProducts(product);
      }
      case CAFFEINE -> {
        caffeine =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)).build();
        caffeine.put(key, product);
        if (caffeine.getIfPresent(key) != product) {
          throw new IllegalStateException("CAFFEINE: the entry is not there");
        }
        return;
      }
      case CTW -> {
        requireWovenAtBuild(WovenNearProducts.class, true);
        source = new WovenNearProducts(product);
      }
      case LTW, AGENT -> {
        requireWovenAtBuild(NearProducts.class, false);
        // AspectJ adds its join-point fields to the class; the agent keeps the class's shape.
        boolean ajcFields =
            Arrays.stream(NearProducts.class.getDeclaredFields())
                .anyMatch(f -> f.getName().startsWith("ajc$"));
        if (ajcFields != (contender == Contender.LTW)) {
          throw new IllegalStateException(
              contender + ": NearProducts " + (ajcFields ? "was" : "was not")
                  + " woven by AspectJ at load time");
        }
        source = new NearProducts(product);
      }
      case SPRING_AOP -> source = new SpringLocalCacheable(product);
      case WEFT_PROXY -> {
        requireWovenAtBuild(NearProducts.class, false);
        proxyMode =
            new WeftProxyMode<>(weft, NearProducts.class, () -> new NearProducts(product));
        source = proxyMode.bean();
      }
      case NOOP_PROXY -> {
        requireWovenAtBuild(PlainProducts.class, false);
        source = noOpProxy(new PlainProducts(product));
      }
      default -> throw new AssertionError(contender);
    }
    try (Inspector redis = new Inspector(BenchMain.redisUrl())) {
      redis.delete(KEY_PREFIX + sku);
      // The first call loads and stores the entry; its store's change notice may arrive after the
      // second call read the entry back, which then does not keep it: a few calls settle that.
      requireProduct(product);
      pause();
      for (int i = 0; i < 10; i++) {
        requireProduct(product);
      }
      getsAfterSetup = redis.gets();
      for (int i = 11; i < CHECK_CALLS; i++) {
        requireProduct(product);
      }
      int expected = contender.caches() ? 1 : CHECK_CALLS;
      if (source.bodyRuns() != expected) {
        throw new IllegalStateException(
            contender + ": the body ran " + source.bodyRuns() + " times in " + CHECK_CALLS
                + " calls, not " + expected + ": "
                + (expected == 1 ? "the method is not woven" : "the method is woven"));
      }
      long gets = redis.gets() - getsAfterSetup;
      if (gets != 0) {
        throw new IllegalStateException(
            contender + ": " + gets + " GETs reached Redis: the hits were not near-cache hits");
      }
      getsAfterSetup = redis.gets();
    }
  }

  /**
   * Fails if the measured calls went anywhere but the JVM.
   *
   * @throws IllegalStateException if the body ran again or Redis was read
   */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      if (source != null && contender.caches() && source.bodyRuns() != 1) {
        throw new IllegalStateException(
            contender + ": the body ran " + source.bodyRuns() + " times during measurement");
      }
      if (weft != null) {
        try (Inspector redis = new Inspector(BenchMain.redisUrl())) {
          long gets = redis.gets() - getsAfterSetup;
          if (gets != 0) {
            throw new IllegalStateException(
                contender + ": " + gets + " GETs reached Redis during measurement");
          }
        }
      }
    } finally {
      if (source instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      if (proxyMode != null) {
        proxyMode.close();
      }
      if (weft != null) {
        weft.close();
      }
    }
  }

  /** @return the product */
  @Benchmark
  public Product call() {
    if (caffeine != null) {
      return caffeine.getIfPresent(key);
    }
    return source.product(sku);
  }

  /** A CGLIB proxy (Spring Boot's default kind) around {@code target} that only proceeds. */
  private static ProductSource noOpProxy(ProductSource target) {
    ProxyFactory proxies = new ProxyFactory(target);
    proxies.setProxyTargetClass(true);
    proxies.addAdvice((MethodInterceptor) MethodInvocation::proceed);
    ProductSource proxy = (ProductSource) proxies.getProxy();
    if (!AopUtils.isCglibProxy(proxy)) {
      throw new IllegalStateException("NOOP_PROXY: not a CGLIB proxy");
    }
    return proxy;
  }

  private void requireProduct(Product product) {
    if (!product.equals(source.product(sku))) {
      throw new IllegalStateException(contender + ": the call returned another product");
    }
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Fails unless {@code type}'s class file, as the build wrote it, is (or is not) woven by ajc.
   */
  private void requireWovenAtBuild(Class<?> type, boolean woven) {
    String file = type.getName().replace('.', '/') + ".class";
    byte[] bytes;
    try (InputStream in = type.getClassLoader().getResourceAsStream(file)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean ajc =
        new String(bytes, StandardCharsets.ISO_8859_1).contains("org.aspectj.weaver.WeaverState");
    if (ajc != woven) {
      throw new IllegalStateException(
          contender + ": " + file + " is " + (ajc ? "" : "not ") + "woven by ajc in the bench jar;"
              + " see bench/ajc-scope.xml");
    }
  }

  /** A connection of its own for setup's checks, closed before measuring. */
  private static final class Inspector implements AutoCloseable {
    private static final Pattern GET_CALLS = Pattern.compile("cmdstat_get:calls=(\\d+)");
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    Inspector(String url) {
      client = RedisClient.create(url);
      connection = client.connect();
    }

    void delete(String key) {
      connection.sync().del(key);
    }

    /** @return how many GETs the server has run */
    long gets() {
      Matcher m = GET_CALLS.matcher(connection.sync().info("commandstats"));
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
