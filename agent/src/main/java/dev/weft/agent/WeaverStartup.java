package dev.weft.agent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link ClassWeaver}, built and warmed up on a thread of its own while the application
 * starts; the first class to weave waits for it.
 *
 * <h2>Design</h2>
 *
 * ByteBuddy's set-up costs several hundred milliseconds of CPU, most of it loading ByteBuddy's own
 * classes. Done in {@code premain} it would delay the application's {@code main} by all of it;
 * done at the first class to weave, by all of it again, since that class is often among the
 * first the application loads. So {@code premain} installs {@link WeftTransformer}, which needs
 * nothing of ByteBuddy, and starts this thread; the application starts meanwhile, on the other
 * cores, and its classes with nothing to weave (nearly all of them) never wait. A class that has
 * something to weave waits for the weaver, at most {@value #MOST_WAIT_SECONDS} s: woven late is
 * better than not woven, and the bound only keeps a class from waiting forever on a weaver that
 * cannot finish (a class the build thread itself loads, in a JVM short of threads or CPU).
 *
 * <p>The weaver is handed out only once its warm-up is over, so ByteBuddy's classes are first
 * loaded and initialized by this one thread: ByteBuddy's class initializers have deadlocked when
 * two threads used it for the first time at once (raphw/byte-buddy#1347). For the same reason the
 * build is not split over two threads, though the advice and the {@code AgentBuilder} are
 * independent.
 *
 * <p>This class refers to ByteBuddy only through {@link ClassWeaver}, which the build thread
 * loads: the thread calling {@code premain} loads nothing of ByteBuddy.
 */
final class WeaverStartup {

  static final int MOST_WAIT_SECONDS = 60;

  private final CompletableFuture<ClassWeaver> weaver = new CompletableFuture<>();
  private volatile Thread builder;

  private WeaverStartup() {}

  /** @return a start-up that builds the weaver on a new daemon thread, started at once */
  static WeaverStartup inBackground() {
    WeaverStartup startup = new WeaverStartup();
    // Not a method reference: the first lambda of a JVM costs tens of milliseconds to link, on
    // the thread calling premain.
    Thread thread = new Thread(new Runnable() {
      @Override
      public void run() {
        startup.build();
      }
    }, "weft-agent-weaver");
    thread.setDaemon(true);
    startup.builder = thread;
    thread.start();
    return startup;
  }

  /** @return a start-up whose weaver is {@code weaver}, ready */
  static WeaverStartup of(ClassWeaver weaver) {
    WeaverStartup startup = new WeaverStartup();
    startup.weaver.complete(weaver);
    return startup;
  }

  private void build() {
    try {
      weaver.complete(new ClassWeaver().warmUp());
    } catch (Throwable e) {
      weaver.completeExceptionally(e);
    }
  }

  /**
   * @return the weaver, once it is built
   * @throws IllegalStateException if it could not be built, or was not within {@value
   *     #MOST_WAIT_SECONDS} s, or if the calling thread is the one building it
   */
  ClassWeaver weaver() {
    ClassWeaver ready = weaver.getNow(null);
    if (ready != null) {
      return ready;
    }
    if (Thread.currentThread() == builder) {
      throw new IllegalStateException("the weaver is not built yet: its own thread loads the class");
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return weaver.get(MOST_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("Weft's weaver could not be built", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Weft's weaver was not built within " + MOST_WAIT_SECONDS + " s", e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
