package dev.weft.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling: every wait in this module ends, by success or by its deadline. */
final class Poll {

  private Poll() {}

  /**
   * Evaluates {@code condition} until it holds or {@code timeout} has passed.
   *
   * @param timeout how long to keep trying, not {@code null}
   * @param interval the pause between two evaluations, not {@code null}
   * @param condition the condition; evaluated at least once
   * @return whether the condition held before the deadline; {@code false} as well when the thread
   *     is interrupted (its interrupt flag is then set again)
   */
  static boolean until(Duration timeout, Duration interval, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Sleeps for a short, fixed time.
   *
   * @param duration how long, not {@code null}
   */
  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
