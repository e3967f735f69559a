package dev.weft.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling for tests: waits on a condition, never on the clock alone. The pause between two
 * checks only keeps the poll from spinning; a test passes because its condition held.
 */
public final class Await {

  private static final Duration INTERVAL = Duration.ofMillis(25);

  private Await() {}

  /**
   * Checks {@code condition} until it holds or {@code timeout} has passed.
   *
   * @param timeout the most to wait, not {@code null}
   * @param what what is awaited, for the failure message
   * @param condition evaluated at least once; may have side effects (a call that is retried)
   * @throws AssertionError if the condition did not hold in time
   */
  public static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what.get());
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what.get(), e);
      }
    }
  }
}
