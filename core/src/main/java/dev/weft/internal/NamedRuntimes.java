package dev.weft.internal;

import dev.weft.Weft;
import dev.weft.exception.WeftConfigurationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtimes of this process that were built with a name ({@code Weft.builder().name(...)}),
 * which woven methods reach through their annotations' {@code runtime} attribute.
 *
 * <h2>Design</h2>
 *
 * <p><b>One slot per name, read per call.</b> Each name has one {@link Slot}, made the first time
 * the name is built or named by a method, and kept for the life of the process (there are as many
 * as the application has names). A method's plan holds its slot and reads it at every call: one
 * volatile read, the same cost as {@link Weft#global()}, and no map look-up. So a runtime built
 * after a method's first call, or built again under its name after the first one was closed (a
 * test, a context refresh), is what the next call uses, as {@link Weft#install} takes effect for
 * plans that already exist.
 *
 * <p><b>One open runtime per name.</b> A name is taken from the moment its runtime's build starts
 * ({@link Slot#claim}) until that runtime is closed; a second build under a name that is taken is
 * a {@link WeftConfigurationException}, before it opens any connection. A closed runtime stays in
 * its slot until another is built under the name, so that calls made during shutdown, after it was
 * closed, fail open like calls on a closed global runtime, rather than fail on a missing name.
 *
 * <p><b>No waiting for a name.</b> A call whose slot never held a runtime throws at once: a
 * process that names runtimes in annotations builds them at start-up, before the woven methods
 * are called. Waiting would not help the common case, a container (Spring) that creates its
 * beans one after the other on one thread: the runtime that the waiting call needs would be
 * created on that same thread, after the wait.
 */
public final class NamedRuntimes {

  private static final ConcurrentHashMap<String, Slot> SLOTS = new ConcurrentHashMap<>();

  private NamedRuntimes() {}

  /**
   * @param name a runtime's name, already checked, not {@code null}
   * @return the name's slot, the same object every time, never {@code null}
   */
  public static Slot slot(String name) {
    return SLOTS.computeIfAbsent(name, Slot::new);
  }

  /** Where the runtime of one name is found. */
  public static final class Slot {
    private static final Object BUILDING = new Object();

    private final String name;
    private volatile Weft runtime;
    // guarded by this: null while the name is free, BUILDING, or the open runtime of this name
    private Object holder;

    private Slot(String name) {
      this.name = name;
    }

    /** @return the name, never {@code null} */
    public String name() {
      return name;
    }

    /**
     * @return the runtime last built under this name, open or closed; {@code null} if none was
     *     ever built
     */
    public Weft runtime() {
      return runtime;
    }

    /**
     * Takes the name for a runtime about to be built.
     *
     * @throws WeftConfigurationException if a runtime of this name is open or being built
     */
    public synchronized void claim() {
      if (holder != null) {
        throw new WeftConfigurationException(
            "Weft.builder().name(\"" + name + "\"): a runtime named \"" + name + "\" is already"
                + " open in this process"
                + (holder instanceof Weft open ? " (on " + open.redisUrl() + ")" : " (being built)")
                + "; close it before building another under its name, or give this one another"
                + " name");
      }
      holder = BUILDING;
    }

    /**
     * Makes {@code weft}, built after {@link #claim}, the runtime of this name.
     *
     * @param weft the new runtime, not {@code null}
     */
    public synchronized void bind(Weft weft) {
      holder = weft;
      runtime = weft;
    }

    /** Gives the name back after a build that failed. */
    public synchronized void release() {
      if (holder == BUILDING) {
        holder = null;
      }
    }

    /**
     * Gives the name back when {@code weft} is closed; it stays the runtime of the name until
     * another is built.
     *
     * @param weft the runtime being closed, not {@code null}
     */
    public synchronized void closed(Weft weft) {
      if (holder == weft) {
        holder = null;
      }
    }
  }
}
