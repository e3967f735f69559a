package example.virtualthreads;

import dev.weft.annotation.Cached;
import dev.weft.annotation.DistributedLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * An application that makes the first Weft calls of its process from virtual threads, run by
 * {@code VirtualThreadsIT} in a JVM of its own under {@code -javaagent:weft-agent.jar}. Its
 * classes are compiled for Java 17, which has no virtual threads: they are created through
 * {@code Executors.newVirtualThreadPerTaskExecutor}, looked up reflectively, so the app runs only
 * on Java 21 or later.
 *
 * <p>While a scenario runs, a JFR recording takes every {@code jdk.VirtualThreadPinned} event of
 * at least {@value #PINNED_MILLIS} ms with its stack: a virtual thread that blocks while it cannot
 * leave its carrier (in a native frame, a class initializer, or on JDK 21 to 23 a {@code
 * synchronized} block) holds an OS thread, and a thousand of them hold the whole carrier pool.
 *
 * <p>Arguments: a scenario, {@code cached <threads>}, {@code lock <threads>} or {@code pin}. It
 * prints one {@code key=value} line per fact, then, for each pinned event, {@code
 * pinned.<n>.weft} (whether it lasted {@value #PINNED_MILLIS} ms or more and a frame of its stack
 * is in a {@code dev.weft} class), {@code pinned.<n>.millis} and its stack, one frame per line.
 * (JDK 25 also records some pinned events of 0 ms, under the threshold: they are listed, not
 * counted.)
 */
public final class VirtualThreadsApp {

  static final long PINNED_MILLIS = 20;

  private VirtualThreadsApp() {}

  /** A slow source behind one {@code @Cached} key. */
  public static final class Prices {

    final AtomicInteger loads = new AtomicInteger();

    @Cached(key = "vt:price:{sku}", ttl = "1m", loadTimeout = "60s")
    public String price(String sku) throws InterruptedException {
      loads.incrementAndGet();
      Thread.sleep(300); // the slow source the cache protects from the other callers
      return "price-of-" + sku;
    }
  }

  /** A body that counts how many callers are inside it at once. */
  public static final class Ledger {

    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();
    final AtomicInteger posted = new AtomicInteger();

    @DistributedLock(key = "vt:ledger:{account}", waitTime = "2m")
    public int post(String account) throws InterruptedException {
      int now = inside.incrementAndGet();
      most.accumulateAndGet(now, Math::max);
      Thread.sleep(1); // a blocking step inside the lock, where a second holder would show
      inside.decrementAndGet();
      return posted.incrementAndGet();
    }
  }

  /** Blocks in its class initializer: a virtual thread that initializes it is pinned. */
  static final class SlowInitializer {

    static final long STARTED = System.nanoTime();

    static {
      try {
        Thread.sleep(4 * PINNED_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private SlowInitializer() {}
  }

  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    List<RecordedEvent> pinned;
    try (Recording recording = new Recording()) {
      recording.enable("jdk.VirtualThreadPinned")
          .withThreshold(Duration.ofMillis(PINNED_MILLIS))
          .withStackTrace();
      recording.start();
      switch (scenario) {
        case "cached" -> cached(Integer.parseInt(args[1]));
        case "lock" -> lock(Integer.parseInt(args[1]));
        case "pin" -> pin();
        default -> throw new IllegalArgumentException("no scenario " + scenario);
      }
      recording.stop();
      Path file = Files.createTempFile("weft-virtual-threads", ".jfr");
      try {
        recording.dump(file);
        pinned = RecordingFile.readAllEvents(file);
      } finally {
        Files.delete(file);
      }
    }
    report(pinned);
    print("done", true);
    System.exit(0);
  }

  /** {@code threads} virtual threads ask one key of a cold cache at once. */
  private static void cached(int threads) throws Exception {
    Prices prices = new Prices();
    Map<String, Integer> values = new ConcurrentHashMap<>();
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    long millis = inVirtualThreads(threads, () -> {
      try {
        values.merge(String.valueOf(prices.price("sku-1")), 1, Integer::sum);
      } catch (Throwable e) {
        errors.add(e.toString().replace('\n', ' '));
      }
    });
    print("cached.loads", prices.loads.get());
    print("cached.values", new TreeMap<>(values));
    print("cached.errors", errors.size() + " " + errors.stream().findFirst().orElse(""));
    print("cached.millis", millis);
  }

  /** {@code threads} virtual threads post to one account, one lock, at once. */
  private static void lock(int threads) throws Exception {
    Ledger ledger = new Ledger();
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    long millis = inVirtualThreads(threads, () -> {
      try {
        ledger.post("acc-1");
      } catch (Throwable e) {
        errors.add(e.toString().replace('\n', ' '));
      }
    });
    print("lock.posted", ledger.posted.get());
    print("lock.mostInside", ledger.most.get());
    print("lock.errors", errors.size() + " " + errors.stream().findFirst().orElse(""));
    print("lock.millis", millis);
  }

  /** The recording's control: a virtual thread blocked in a class initializer is pinned. */
  private static void pin() throws Exception {
    inVirtualThreads(1, () -> print("pin.initialized", SlowInitializer.STARTED != 0));
  }

  /**
   * Starts {@code threads} virtual threads, releases them together and waits for all of them.
   *
   * @return milliseconds from the release to the last one's end
   */
  private static long inVirtualThreads(int threads, Runnable task) throws Exception {
    ExecutorService executor =
        (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < threads; i++) {
      executor.execute(() -> {
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        task.run();
      });
    }
    if (!ready.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("virtual threads not started within 60 s");
    }
    long start = System.nanoTime();
    go.countDown();
    executor.shutdown();
    if (!executor.awaitTermination(3, TimeUnit.MINUTES)) {
      throw new IllegalStateException("virtual threads still running after 3 minutes");
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static void report(List<RecordedEvent> pinned) {
    print("pinned.count", pinned.size());
    int weft = 0;
    for (int n = 0; n < pinned.size(); n++) {
      RecordedEvent event = pinned.get(n);
      List<RecordedFrame> frames =
          event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames();
      boolean inWeft = event.getDuration().toMillis() >= PINNED_MILLIS
          && frames.stream().anyMatch(VirtualThreadsApp::inWeft);
      weft += inWeft ? 1 : 0;
      print("pinned." + n + ".weft", inWeft);
      print("pinned." + n + ".millis", event.getDuration().toMillis());
      for (RecordedFrame frame : frames) {
        System.out.println("    at " + frame.getMethod().getType().getName() + "."
            + frame.getMethod().getName() + " (" + frame.getType() + ", line "
            + frame.getLineNumber() + ")");
      }
    }
    print("pinned.weft", weft);
    print("pinned.initializer", pinned.stream().anyMatch(e -> e.getStackTrace() != null
        && e.getStackTrace().getFrames().stream().anyMatch(f ->
            f.getMethod().getType().getName().equals(SlowInitializer.class.getName()))));
  }

  private static boolean inWeft(RecordedFrame frame) {
    return frame.getMethod().getType().getName().startsWith("dev.weft.");
  }

  private static void print(String key, Object value) {
    System.out.println(key + "=" + value);
  }
}
