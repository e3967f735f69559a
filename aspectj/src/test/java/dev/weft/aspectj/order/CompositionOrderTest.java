package dev.weft.aspectj.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.aspectj.WovenRedisTest;
import dev.weft.test.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several annotations on one method run in the documented order (design.md): rate limit, lock,
 * invalidate-before, cache lookup, the body, cache store, write-through, invalidate-after, the
 * lock's release, and the call's count once it is complete. Read from Redis's own log of the commands it ran (SLOWLOG with a threshold
 * of 0 logs every command, in order), so the order is what the server saw, in every weaving mode.
 */
class CompositionOrderTest extends WovenRedisTest {

  @AfterEach
  void restoreSlowlog() {
    redis.configSet("slowlog-log-slower-than", "10000");
    Orders.body = id -> {};
  }

  @Test
  void everyStep_runsInTheDocumentedOrder() {
    Orders orders = new Orders();
    orders.order("warm-up"); // scripts loaded, connections open
    redis.set("before:o1", "stale");
    redis.set("after:o1", "stale");
    Orders.body = id -> redis.set("body:" + id, "ran");
    redis.configSet("slowlog-max-len", "1024");
    redis.configSet("slowlog-log-slower-than", "0");
    redis.slowlogReset();

    assertThat(orders.order("o1")).isEqualTo("order o1");

    // The count is sent without waiting for its reply: it may reach Redis after the call returns.
    // Each look is logged too: 200 at most in 5 s, the log keeps 1,024.
    Await.until(Duration.ofSeconds(5), () -> "the count in " + steps("o1"),
        () -> steps("o1").contains("count"));
    List<String> steps = steps("o1");
    assertThat(steps).as("each step once, in order").containsExactly(
        "rate limit", "lock", "invalidate before", "cache lookup", "body", "cache store",
        "write-through", "invalidate after", "unlock", "count");
    assertThat(redis.exists("before:o1", "after:o1")).isZero();
    assertThat(redis.get("copy:o1")).isEqualTo("\"order o1\"");
  }

  /** The steps of the call for {@code id}, oldest first, from the server's command log. */
  private List<String> steps(String id) {
    List<Object> log = redis.slowlogGet(1024);
    List<String> steps = new ArrayList<>();
    for (Object entry : log) {
      List<?> fields = (List<?>) entry;
      List<?> args = (List<?>) fields.get(3);
      String step = step(args.stream().map(String::valueOf).toList(), id);
      // a miss reads again (and takes its lease) after taking the load lock: one lookup step
      if (step != null && (steps.isEmpty() || !steps.get(steps.size() - 1).equals(step))) {
        steps.add(step);
      }
    }
    Collections.reverse(steps); // SLOWLOG GET lists the newest first
    // Redis 7 also logs the commands a script runs, before the script: the store script's GET of
    // the entry (it stores only over the load's lease marker) is part of the store, not a lookup.
    int body = steps.indexOf("body");
    if (body >= 0 && body + 2 < steps.size() && steps.get(body + 1).equals("cache lookup")
        && steps.get(body + 2).equals("cache store")) {
      steps.remove(body + 1);
    }
    return steps;
  }

  private static String step(List<String> args, String id) {
    String command = args.get(0).toUpperCase();
    if (command.equals("EVALSHA") || command.equals("EVAL")) {
      int keys = Integer.parseInt(args.get(2));
      String key = keys > 0 ? args.get(3) : "";
      if (key.startsWith("weft:rl:{order:" + id + "}")) {
        return "rate limit";
      } else if (key.equals("weft:lock:{order:" + id + "}")) {
        return keys == 2 ? "lock" : "unlock"; // acquire names the lock and its fence
      } else if (key.equals("before:" + id)) {
        return "invalidate before";
      } else if (key.equals("order:" + id)) {
        // the load's lease (its marker starts with '~') belongs to the lookup
        return args.get(4).startsWith("~") ? "cache lookup" : "cache store";
      } else if (key.equals("copy:" + id)) {
        return "write-through";
      } else if (key.equals("after:" + id)) {
        return "invalidate after";
      } else if (key.startsWith("weft:ctr:orders:{order:" + id + "}")) {
        return "count";
      }
    } else if (command.equals("GET") && args.get(1).equals("order:" + id)) {
      return "cache lookup";
    } else if (command.equals("SET") && args.get(1).equals("body:" + id)) {
      return "body";
    }
    return null;
  }
}
