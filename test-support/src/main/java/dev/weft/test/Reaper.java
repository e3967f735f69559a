package dev.weft.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/*
 * Why a JVM-wide reaper: a test that fails, or a JUnit run cancelled halfway, must not leave
 * redis-server processes behind, holding ports and memory on a CI machine. Every process and
 * temporary directory this module creates is registered here the moment it exists and
 * unregistered when it is cleaned up normally; one shutdown hook runs whatever is still
 * registered, newest first, so processes die before the directories they live in are deleted.
 * A JVM killed with SIGKILL runs no hook; nothing in the JVM can help with that.
 */
/** Runs clean-up actions at JVM exit for everything this module started and did not yet stop. */
final class Reaper {

  /** A registered clean-up action; cancel it once the resource has been cleaned up normally. */
  interface Registration {
    /** Forgets the action; idempotent. */
    void cancel();
  }

  private static final Map<Object, Runnable> ACTIONS = new LinkedHashMap<>();
  private static boolean hookInstalled;

  private Reaper() {}

  /**
   * Registers an action to run at JVM exit unless cancelled first.
   *
   * @param action what to run; exceptions it throws are swallowed, not {@code null}
   * @return the registration, never {@code null}
   */
  static Registration atExit(Runnable action) {
    Object token = new Object();
    synchronized (ACTIONS) {
      if (!hookInstalled) {
        Runtime.getRuntime().addShutdownHook(new Thread(Reaper::runAll, "weft-redis-reaper"));
        hookInstalled = true;
      }
      ACTIONS.put(token, action);
    }
    return () -> {
      synchronized (ACTIONS) {
        ACTIONS.remove(token);
      }
    };
  }

  private static void runAll() {
    List<Runnable> newestFirst;
    synchronized (ACTIONS) {
      newestFirst = new ArrayList<>(ACTIONS.values());
      ACTIONS.clear();
    }
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      try {
        newestFirst.get(i).run();
      } catch (Throwable ignored) {
        // the JVM is exiting; one failed clean-up must not stop the others
      }
    }
  }
}
