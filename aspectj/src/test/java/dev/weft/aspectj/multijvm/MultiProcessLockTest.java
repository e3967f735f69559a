package dev.weft.aspectj.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.aspectj.WovenRedisTest;
import dev.weft.aspectj.lock.Jobs;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.lock.LockLease;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code @DistributedLock} across processes: child JVMs ({@link LockChild}) run woven locked
 * methods against this class's Redis; one of them is killed with SIGKILL while holding a lock.
 */
class MultiProcessLockTest extends WovenRedisTest {

  /**
   * 4 JVMs x 4 threads x 250 unprotected read-modify-write increments (GET, then SET) inside the
   * lock: none is lost, and the fencing tokens, ordered by the counter value each holder read,
   * strictly increase, so the holders' order and the tokens' order agree across processes.
   */
  @Test
  void fourProcesses_readModifyWriteUnderTheLock_exactCount_fencingTokensIncrease(
      RedisServer server) throws Exception {
    int processes = 4;
    int threads = 4;
    int increments = 250;
    int total = processes * threads * increments;
    List<ChildJvm> children = start(server, processes);
    try {
      for (ChildJvm child : children) {
        child.send("count " + threads + " " + increments + " lock-test:counter");
      }
      for (ChildJvm child : children) {
        child.await("ARMED", 60);
      }
      redis.set("lock-test:go", "1");
      for (ChildJvm child : children) {
        String[] counted = child.await("COUNTED", 240).split(" ", 3);
        assertThat(counted[1]).as("calls that failed in a child: %s", String.join(" ", counted))
            .isEqualTo("0");
        assertThat(Integer.parseInt(counted[0])).isEqualTo(threads * increments);
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    assertThat(redis.get("lock-test:counter")).as("no increment lost").isEqualTo(Integer.toString(total));

    Map<Long, Long> tokenByValueRead = new TreeMap<>();
    for (String entry : redis.lrange("lock-test:seen", 0, -1)) {
      String[] parts = entry.split(":");
      assertThat(parts[2]).as("isHeld() inside the body: %s", entry).isEqualTo("1");
      Long previous = tokenByValueRead.put(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      assertThat(previous).as("two holders read the value %s", parts[0]).isNull();
    }
    assertThat(tokenByValueRead).hasSize(total);
    assertThat(tokenByValueRead.keySet()).first().isEqualTo(0L);
    assertThat(tokenByValueRead.keySet()).last().isEqualTo(total - 1L);
    long value = -1;
    long token = Long.MIN_VALUE;
    for (Map.Entry<Long, Long> e : tokenByValueRead.entrySet()) {
      assertThat(e.getValue())
          .as("token of the holder that read %d, after %d read by token %d", e.getKey(), value, token)
          .isGreaterThan(token);
      value = e.getKey();
      token = e.getValue();
    }
  }

  /**
   * A holder killed with SIGKILL never releases its lock: a waiter in another process (this JVM,
   * through the programmatic API) gets it when the holder's 2 s lease ends, not before, and well
   * within the lease plus 1.5 s of the kill; its fencing token is larger.
   */
  @Test
  void holderKilled_waiterInAnotherProcessGetsTheLockWhenTheLeaseEnds(RedisServer server)
      throws Exception {
    String key = "weft:lock:{crash:k}";
    long lease = TimeUnit.SECONDS.toNanos(2);
    try (ChildJvm holder = start(server, 1).get(0)) {
      holder.send("hold k");
      long holderToken = Long.parseLong(holder.await("HELD", 30));
      assertThat(redis.pttl(key)).as("the holder's lease").isBetween(1L, 2000L);

      CompletableFuture<long[]> acquired = new CompletableFuture<>();
      Thread waiter = new Thread(() -> {
        try (LockLease got = weft.lock("crash:k").acquire(Duration.ofSeconds(20))) {
          acquired.complete(new long[] {System.nanoTime(), got.fencingToken()});
        } catch (Throwable t) {
          acquired.completeExceptionally(t);
        }
      }, "crash-waiter");
      waiter.start();

      long killed = System.nanoTime();
      holder.kill();
      // Read once the holder is gone, so that no renewal can move the end any more.
      long asked = System.nanoTime();
      long left = redis.pttl(key);
      assertThat(left).as("a killed holder does not release its lock").isBetween(1L, 2000L);
      long leaseEnd = asked + TimeUnit.MILLISECONDS.toNanos(left);

      long[] got = acquired.get(30, TimeUnit.SECONDS);
      assertThat(TimeUnit.NANOSECONDS.toMillis(got[0] - leaseEnd))
          .as("ms from the lease's end to the acquisition (not before it)")
          .isGreaterThanOrEqualTo(-5L);
      assertThat(Duration.ofNanos(got[0] - killed))
          .as("from the kill to the acquisition")
          .isLessThan(Duration.ofNanos(lease).plusMillis(1500));
      assertThat(got[1]).as("the new holder's fencing token").isGreaterThan(holderToken);
    }
  }

  /**
   * Re-entering a lost lock across processes: this JVM's outer call ({@link
   * Jobs#outerThatLapses}, a 300 ms lease without renewal) outlives its lease, a child JVM takes
   * the lock, and the outer body then calls a method locked on the same key. That nested call
   * used to reuse the outer hold unchecked and run while the child held the lock; it must not
   * run its body, and must throw saying the outer hold was lost.
   */
  @Test
  void outerLeaseLapsed_anotherProcessTookTheLock_nestedCallDoesNotRunAndThrows(RedisServer server)
      throws Exception {
    String key = "weft:lock:{lapse:m}";
    Jobs jobs = Jobs.create();
    try (ChildJvm child = start(server, 1).get(0)) {
      String[] childToken = new String[1];
      Runnable meanwhile = () -> {
        Await.until(Duration.ofSeconds(10), () -> "the outer lease ran out",
            () -> redis.exists(key) == 0);
        child.send("hold-lapse m");
        try {
          childToken[0] = child.await("HELD", 30);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      };
      assertThatThrownBy(() -> jobs.outerThatLapses("m", meanwhile))
          .isInstanceOf(LockNotAcquiredException.class)
          .hasMessageContaining("cannot re-enter the lock 'lapse:m'")
          .hasMessageContaining("was lost");
      assertThat(childToken[0]).as("the child took the lock").isNotNull();
      assertThat(jobs.nestedRuns).as("nested bodies run while the child held the lock").hasValue(0);
      assertThat(redis.exists(key)).as("the child still holds the lock").isEqualTo(1L);
      child.kill();
    }
  }

  /**
   * A holder running for 3 s on a 1 s lease keeps the lock by renewal: another process trying
   * every 10 ms never gets in (no body of it runs while the holder's does), and the lock's key
   * keeps one owner with a TTL never above the lease.
   */
  @Test
  void longHolder_renewsItsLease_anotherProcessNeverGetsTheLockMeanwhile(RedisServer server)
      throws Exception {
    String key = "weft:lock:{renew:job}";
    List<ChildJvm> children = start(server, 2);
    ChildJvm holder = children.get(0);
    ChildJvm prober = children.get(1);
    try {
      holder.send("long job 3000");
      holder.await("STARTED", 30);
      long started = System.nanoTime();
      prober.send("probe job");
      String owner = redis.get(key);
      assertThat(owner).as("the holder's token").isNotNull();
      int samples = 0;
      long lastSample = started;
      long deadline = started + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() - deadline < 0) {
        long at = System.nanoTime();
        String value = redis.get(key);
        long pttl = redis.pttl(key);
        if (redis.exists("renew:done") == 1) {
          break; // the holder may have released before this sample: ignore it
        }
        assertThat(value).as("the lock's owner %d ms after the start",
            TimeUnit.NANOSECONDS.toMillis(at - started)).isEqualTo(owner);
        assertThat(pttl).as("the lock's TTL (1 s lease)").isBetween(1L, 1000L);
        samples++;
        lastSample = at;
        Thread.sleep(50); // pace the samples
      }
      String[] probed = prober.await("PROBED", 30).split(" ");
      String[] result = holder.await("LONG", 30).split(" ");
      assertThat(result[0]).as("holders in the body when it started").isEqualTo("1");
      assertThat(result[1]).as("LockContext.isHeld() throughout the body").isEqualTo("true");
      assertThat(Long.parseLong(result[2])).as("ms held").isGreaterThanOrEqualTo(3000L);
      assertThat(Integer.parseInt(probed[2])).as("probes that ran while the holder ran").isZero();
      assertThat(Integer.parseInt(probed[0])).as("probes tried").isGreaterThanOrEqualTo(10);
      assertThat(Integer.parseInt(probed[1]))
          .as("probes skipped; ran after the holder ended: %s", probed[3])
          .isGreaterThanOrEqualTo(Integer.parseInt(probed[0]) - 1);
      assertThat(samples).isGreaterThanOrEqualTo(10);
      assertThat(Duration.ofNanos(lastSample - started))
          .as("one owner seen for more than two leases").isGreaterThan(Duration.ofSeconds(2));
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  /**
   * The same scheduled job on two processes, triggered each second for 5 periods, with {@code
   * onLocked = SKIP, holdAtLeast = "500ms"}: exactly one run per period. In periods 0, 2 and 4
   * both trigger at the same instant and race for the lock; in periods 1 and 3 one of them is
   * 250 ms late, as a node with a late clock or trigger is, and must still skip: the fast body
   * returned long before, but holdAtLeast keeps the lock for 500 ms.
   */
  @Test
  void scheduledJobOnTwoProcesses_skipMode_runsExactlyOncePerPeriod(RedisServer server)
      throws Exception {
    String[] offsets = {"0,250,0,0,0", "0,0,0,250,0"};
    int periods = 5;
    List<ChildJvm> children = start(server, 2);
    List<String> reports = new ArrayList<>();
    try {
      long t0 = System.currentTimeMillis() + 1000;
      for (int c = 0; c < children.size(); c++) {
        children.get(c).send("report " + t0 + " 1000 " + offsets[c]);
      }
      for (ChildJvm child : children) {
        reports.add(child.await("REPORTED", 30));
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    for (int i = 0; i < periods; i++) {
      int ran = 0;
      for (String report : reports) {
        ran += Integer.parseInt(report.split(" ")[i].split("/")[0]);
      }
      assertThat(redis.get("report:runs:" + i))
          .as("runs in period %d; each process's <ran>/<ms late>: %s", i, reports)
          .isEqualTo("1");
      assertThat(ran).as("processes that ran period %d: %s", i, reports).isEqualTo(1);
    }
  }

  /** Starts {@code n} {@link LockChild} JVMs together and waits until each is ready. */
  private static List<ChildJvm> start(RedisServer server, int n) throws Exception {
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        children.add(new ChildJvm(LockChild.class, server.url()));
      }
      for (ChildJvm child : children) {
        child.await("READY", 60);
      }
      return children;
    } catch (Exception | AssertionError e) {
      children.forEach(ChildJvm::close);
      throw e;
    }
  }
}
