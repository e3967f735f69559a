package dev.weft.aspectj.multijvm;

import dev.weft.Weft;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimitDecision;
import dev.weft.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One of the processes of the rate-limit exactness test: N threads ask one limiter for permits
 * as fast as they can until told to stop (the key {@code rl-test:stop} appears), then print the
 * server time of every decision, denied and granted.
 */
public class RateLimitChild {

  public static void main(String[] args) throws Exception {
    RateLimitAlgorithm algorithm = RateLimitAlgorithm.valueOf(args[0]);
    long permits = Long.parseLong(args[1]);
    Duration window = Duration.ofMillis(Long.parseLong(args[2]));
    int threads = Integer.parseInt(args[3]);
    String key = args[4];
    try (Weft weft = Weft.builder().redisUrl(System.getenv("WEFT_REDIS_URL")).commandTimeout("10s").build();
        io.lettuce.core.RedisClient client =
            io.lettuce.core.RedisClient.create(System.getenv("WEFT_REDIS_URL"));
        var connection = client.connect()) {
      RateLimiter limiter = weft.rateLimiter(Limit.of(algorithm, permits, window));
      limiter.tryAcquire("warm-up:" + key);
      ConcurrentLinkedQueue<Long> granted = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Long> denied = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Thread t = new Thread(() -> {
          try {
            go.await();
            while (connection.sync().exists("rl-test:stop") == 0) {
              try {
                RateLimitDecision d = limiter.tryAcquire(key);
                (d.allowed() ? granted : denied).add(d.decidedAt().toEpochMilli());
              } catch (RuntimeException e) {
                // A decision whose reply was lost may still have taken a permit in Redis.
                errors.add(e.toString());
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        t.start();
        workers.add(t);
      }
      System.out.println("READY " + System.currentTimeMillis());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (connection.sync().exists("rl-test:go") == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      go.countDown();
      for (Thread t : workers) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
      System.out.println("ERRORS " + errors.size() + " " + errors.stream().findFirst().orElse(""));
      System.out.println(line("DENIED", denied));
      System.out.println(line("GRANTED", granted));
    }
    System.exit(0);
  }

  private static String line(String label, ConcurrentLinkedQueue<Long> times) {
    StringBuilder out = new StringBuilder(label);
    for (long ms : times) {
      out.append(' ').append(ms);
    }
    return out.toString();
  }
}
