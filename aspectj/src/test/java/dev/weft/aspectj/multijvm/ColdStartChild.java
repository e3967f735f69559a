package dev.weft.aspectj.multijvm;

import dev.weft.annotation.Cached;
import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.DistributedLock.OnLocked;
import dev.weft.annotation.RateLimited;
import dev.weft.exception.RateLimitExceededException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One freshly started process of the cold-start tests: its threads make the process's very first
 * Weft calls, all at once, when the parent writes {@code GO}. Nothing touches Redis or Weft before
 * (the parent, not Redis, says when to start), so the calls meet a runtime that is still loading
 * Lettuce and Netty and opening its first connection.
 *
 * <p>Arguments: {@code <cache|limit|lock> <threads> <calls per thread> <id>}. Prints {@code READY}
 * once its threads wait, one line per call ({@code LOADED} when the cached body runs, {@code GOT},
 * {@code ALLOWED}, {@code DENIED}, {@code ACQUIRED}, {@code SKIPPED}, {@code ERROR <what>}), then
 * {@code DONE}.
 */
public class ColdStartChild {

  @Cached(key = "cold:cache:{id}", ttl = "1m", loadTimeout = "10s")
  public String load(String id) throws InterruptedException {
    System.out.println("LOADED");
    Thread.sleep(400); // the slow source the cache protects
    return "value-of-" + id;
  }

  @RateLimited(key = "cold:limit:{id}", permits = 5, window = "1h")
  public void limited(String id) {}

  @DistributedLock(key = "cold:lock:{id}", onLocked = OnLocked.SKIP, holdAtLeast = "30s")
  public Boolean once(String id) {
    System.out.println("ACQUIRED");
    return Boolean.TRUE;
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int threads = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    String id = args[3];
    ColdStartChild child = new ColdStartChild();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        try {
          go.await();
          for (int c = 0; c < calls; c++) {
            System.out.println(child.call(mode, id));
          }
        } catch (InterruptedException e) {
          System.out.println("ERROR interrupted");
        }
      });
      t.start();
      workers.add(t);
    }
    System.out.println("READY");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (!"GO".equals(in.readLine())) {
      System.exit(1);
    }
    go.countDown();
    for (Thread t : workers) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
    System.out.println("DONE");
    System.exit(0);
  }

  private String call(String mode, String id) {
    try {
      switch (mode) {
        case "cache":
          return "GOT " + load(id);
        case "limit":
          limited(id);
          return "ALLOWED";
        case "lock":
          return once(id) == null ? "SKIPPED" : "RAN";
        default:
          return "ERROR unknown mode " + mode;
      }
    } catch (RateLimitExceededException e) {
      return "DENIED";
    } catch (Exception e) {
      return ("ERROR " + e).replace('\n', ' ');
    }
  }
}
