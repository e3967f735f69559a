package dev.weft.aspectj.multijvm;

import dev.weft.Weft;
import dev.weft.annotation.DistributedLock.OnLocked;
import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.LockContext;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One process of the lock tests: woven {@code @DistributedLock} methods, driven by commands on
 * stdin, one per line, answering on stdout. Its runtime has a 10 s command timeout, so a loaded
 * machine slows it down rather than failing calls.
 *
 * <ul>
 *   <li>{@code count <threads> <increments> <counter>}: prints {@code ARMED}, waits for the key
 *       {@code lock-test:go}, then every thread increments the counter by GET and SET inside the
 *       lock; appends {@code <value read>:<fencing token>:<isHeld 1|0>} of every increment to the
 *       list {@code lock-test:seen}; prints {@code COUNTED <calls that ran> <calls that failed>
 *       <first failure>}.
 *   <li>{@code hold <id>}: takes the lock {@code crash:<id>} (2 s lease, renewed) and prints
 *       {@code HELD <fencing token>}, then keeps it until killed.
 *   <li>{@code hold-lapse <id>}: as {@code hold}, on the lock {@code lapse:<id>} of the behaviour
 *       suite's {@code Jobs.outerThatLapses}.
 *   <li>{@code long <id> <millis>}: holds {@code renew:<id>} (1 s lease, renewed) for that long,
 *       printing {@code STARTED <token>} on entry and {@code LONG <holders seen on entry>
 *       <isHeld throughout> <millis held>} at the end; sets {@code renew:done} before leaving.
 *   <li>{@code probe <id>}: tries {@code renew:<id>} (waitTime 0, SKIP) every 10 ms until {@code
 *       renew:done} exists; prints {@code PROBED <attempts> <skipped> <ran while the holder ran>
 *       <ran after it>}.
 *   <li>{@code report <t0 ms> <period ms> <offset ms>,<offset ms>,...}: for each period {@code i},
 *       at {@code t0 + i * period + offset[i]} (wall clock) calls the one-per-fleet job {@code
 *       report}; prints {@code REPORTED} and, per period, {@code <1 ran | 0 skipped>/<ms late>}.
 * </ul>
 */
public class LockChild {

  private static RedisCommands<String, String> redis;

  @DistributedLock(key = "counter:{0}", waitTime = "2m")
  public void increment(String counter, Queue<String> seen) {
    String value = redis.get(counter);
    long read = value == null ? 0 : Long.parseLong(value);
    seen.add(read + ":" + LockContext.currentFencingToken() + ":" + (LockContext.isHeld() ? 1 : 0));
    redis.set(counter, Long.toString(read + 1));
  }

  @DistributedLock(key = "crash:{0}", lease = "2s")
  public void holdUntilKilled(String id) throws InterruptedException {
    System.out.println("HELD " + LockContext.currentFencingToken());
    // The test kills this process long before: the lock is never released, only expires.
    Thread.sleep(TimeUnit.MINUTES.toMillis(2));
  }

  @DistributedLock(key = "lapse:{0}", lease = "2s")
  public void holdLapseUntilKilled(String id) throws InterruptedException {
    System.out.println("HELD " + LockContext.currentFencingToken());
    Thread.sleep(TimeUnit.MINUTES.toMillis(2));
  }

  @DistributedLock(key = "renew:{0}", lease = "1s")
  public String longJob(String id, long millis) throws InterruptedException {
    long holders = redis.incr("renew:holders");
    System.out.println("STARTED " + LockContext.currentFencingToken());
    long start = System.nanoTime();
    long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
    boolean heldThroughout = true;
    while (System.nanoTime() - end < 0) {
      heldThroughout &= LockContext.isHeld();
      Thread.sleep(20);
    }
    heldThroughout &= LockContext.isHeld();
    long held = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    redis.set("renew:done", "1");
    redis.decr("renew:holders");
    return holders + " " + heldThroughout + " " + held;
  }

  /** @return null if skipped; true if it ran after the long job ended, false if during it */
  @DistributedLock(key = "renew:{0}", lease = "1s", onLocked = OnLocked.SKIP)
  public Boolean probe(String id) {
    long holders = redis.incr("renew:holders");
    boolean after = redis.exists("renew:done") == 1;
    redis.decr("renew:holders");
    return holders == 1 && after;
  }

  @DistributedLock(key = "report", onLocked = OnLocked.SKIP, holdAtLeast = "500ms")
  public Boolean report(int period) {
    redis.incr("report:runs:" + period);
    return Boolean.TRUE;
  }

  /** Loads the lock machinery and opens the runtime's connection before any timed command. */
  @DistributedLock(key = "warm-up:{0}")
  public void warmUp(String id) {}

  public static void main(String[] args) throws Exception {
    String url = System.getenv("WEFT_REDIS_URL");
    Weft.install(Weft.builder().redisUrl(url).commandTimeout("10s").build());
    RedisClient client = RedisClient.create(url);
    StatefulRedisConnection<String, String> connection = client.connect();
    redis = connection.sync();
    LockChild child = new LockChild();
    child.warmUp(ManagementFactory.getRuntimeMXBean().getName());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("READY");
    for (String line; (line = in.readLine()) != null; ) {
      String[] words = line.split(" ");
      switch (words[0]) {
        case "count" -> child.count(
            Integer.parseInt(words[1]), Integer.parseInt(words[2]), words[3]);
        case "hold" -> child.holdUntilKilled(words[1]);
        case "hold-lapse" -> child.holdLapseUntilKilled(words[1]);
        case "long" -> System.out.println(
            "LONG " + child.longJob(words[1], Long.parseLong(words[2])));
        case "probe" -> child.probeUntilDone(words[1]);
        case "report" -> child.reportEachPeriod(
            Long.parseLong(words[1]), Long.parseLong(words[2]), words[3].split(","));
        default -> System.out.println("UNKNOWN " + line);
      }
    }
    connection.close();
    client.shutdown();
    System.exit(0);
  }

  private void count(int threads, int increments, String counter) throws InterruptedException {
    Queue<String> seen = new ConcurrentLinkedQueue<>();
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < increments; i++) {
            try {
              increment(counter, seen);
            } catch (RuntimeException e) {
              errors.add(e.toString().replace('\n', ' '));
            }
          }
        } catch (InterruptedException e) {
          errors.add(e.toString());
        }
      });
      worker.start();
      workers.add(worker);
    }
    System.out.println("ARMED");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (redis.exists("lock-test:go") == 0 && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait(); // the start is the test's subject: no sleep between two looks
    }
    go.countDown();
    for (Thread worker : workers) {
      worker.join(TimeUnit.MINUTES.toMillis(3));
    }
    if (!seen.isEmpty()) {
      redis.rpush("lock-test:seen", seen.toArray(new String[0]));
    }
    System.out.println(
        "COUNTED " + seen.size() + " " + errors.size() + " " + errors.stream().findFirst().orElse(""));
  }

  private void probeUntilDone(String id) throws InterruptedException {
    int attempts = 0;
    int skipped = 0;
    int during = 0;
    int after = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (redis.exists("renew:done") == 0 && System.nanoTime() - deadline < 0) {
      attempts++;
      Boolean ran = probe(id);
      if (ran == null) {
        skipped++;
      } else if (ran) {
        after++;
      } else {
        during++;
      }
      Thread.sleep(10);
    }
    System.out.println("PROBED " + attempts + " " + skipped + " " + during + " " + after);
  }

  private void reportEachPeriod(long t0, long periodMillis, String[] offsets)
      throws InterruptedException {
    StringBuilder out = new StringBuilder("REPORTED");
    for (int i = 0; i < offsets.length; i++) {
      long at = t0 + i * periodMillis + Long.parseLong(offsets[i]);
      for (long now; (now = System.currentTimeMillis()) < at; ) {
        Thread.sleep(at - now);
      }
      long late = System.currentTimeMillis() - at;
      Boolean ran = report(i);
      out.append(' ').append(ran == null ? 0 : 1).append('/').append(late);
    }
    System.out.println(out);
  }
}
