package dev.weft.agent.logging;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.event.Level;

/**
 * Sends weft-core's log lines, inside the agent jar, to the application's own logging.
 *
 * <h2>Design</h2>
 *
 * <p><b>Why.</b> The agent jar carries weft-core and a copy of SLF4J, both on the system class
 * path. An unrelocated SLF4J there is the application's SLF4J too, with no provider of its own:
 * Spring Boot's Logback check fails on its {@code NOPLoggerFactory}, and plain applications print
 * {@code SLF4J(W): No SLF4J providers were found}. So the agent's SLF4J is relocated, with one
 * provider of its own ({@link WeftSlf4jProvider}), and the application's SLF4J is left entirely to
 * the application. This class is the bridge between the two: without it Weft's warnings would go
 * nowhere, or to a console the application does not format.
 *
 * <p><b>Finding the application's SLF4J, lazily.</b> Nothing is looked up before Weft logs its
 * first line. Then the candidates, in order, are: the class loader of the first class on the
 * calling thread's stack that belongs to neither the JDK nor the agent (a woven application
 * class, when weft-core logs from a woven call: in a Spring Boot fat jar, the launcher's loader,
 * which alone sees the application's libraries), the thread's context class loader (Weft's own
 * threads: Lettuce's event loops inherit the one of the thread that started them), and the system
 * class loader (a flat class path). The first that sees a class {@code org.slf4j.LoggerFactory}
 * whose {@code getILoggerFactory()} is a real one wins: not SLF4J's {@code NOPLoggerFactory}
 * (no provider: SLF4J 1.7 without a binding, SLF4J 2 without a provider) and not its
 * {@code SubstituteLoggerFactory} (SLF4J is initializing, on this thread or another). Both SLF4J
 * 1.7 and 2.x have these names and methods; they are called through method handles on the
 * application's own classes, so any version works. A logger that found its target keeps it; one
 * that did not sends that line to the platform logger ({@link System.Logger}, java.util.logging
 * unless the application replaced it) and looks again at its next line, and, for the
 * {@code isXxxEnabled} checks alone, at most every {@value #RETRY_MILLIS} ms. An SLF4J with
 * nothing to bind to (no provider's service file, no 1.7 {@code StaticLoggerBinder}) is never
 * asked: asking would initialize it, and it would print its "no providers" warning because of
 * Weft.
 *
 * <p><b>Never from a class-file transform.</b> Asking the application's SLF4J for its factory may
 * initialize it: load Logback, read its configuration, load classes. Inside a class-file transform
 * that would re-enter class loading on a thread that holds class-loading locks, so while a frame
 * of the JDK's {@code sun.instrument} package is on the stack the line goes to the platform logger
 * and nothing is looked up.
 *
 * <p><b>Names from parts.</b> The shade plugin rewrites every string constant that starts with a
 * relocated package, {@code "org.slf4j.LoggerFactory"} included, so the application's class names
 * are joined at run time from parts it leaves alone.
 */
final class ApplicationLogging {

  static final long RETRY_MILLIS = 250;

  private static final String SLF4J = String.join(".", "org", "slf4j");
  private static final String NOP_FACTORY = SLF4J + ".helpers.NOPLoggerFactory";
  private static final String SUBSTITUTE_FACTORY = SLF4J + ".helpers.SubstituteLoggerFactory";

  private static final ClassLoader AGENT = ApplicationLogging.class.getClassLoader();
  private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
  private static final StackWalker STACK =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  /** Class loaders that see no SLF4J; weak keys, so an undeployed application's can go. */
  private static final Map<ClassLoader, Boolean> BLIND =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** The application's SLF4J, by its {@code LoggerFactory} class; empty if it cannot be called. */
  private static final ClassValue<Optional<Slf4j>> SLF4J_BY_FACTORY =
      new ClassValue<>() {
        @Override
        protected Optional<Slf4j> computeValue(Class<?> factoryType) {
          try {
            return Optional.of(new Slf4j(factoryType));
          } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.empty();
          }
        }
      };

  private ApplicationLogging() {}

  /** Where the lines of one logger go: the application's logger of that name once found. */
  static final class Route {
    private final String name;
    private volatile Target target;
    private volatile long nextLookNanos = System.nanoTime();
    private volatile System.Logger fallback;

    Route(String name) {
      this.name = name;
    }

    boolean isEnabled(Level level) {
      Target found = target;
      if (found == null && System.nanoTime() - nextLookNanos >= 0) {
        found = look();
      }
      if (found != null) {
        try {
          return found.isEnabled(level);
        } catch (Throwable e) {
          // The application's logger failed: the platform logger answers.
        }
      }
      return fallback().isLoggable(platformLevel(level));
    }

    void log(Level level, String message, Throwable error) {
      Target found = target != null ? target : look();
      if (found != null) {
        try {
          found.log(level, message, error);
          return;
        } catch (Throwable e) {
          // The application's logger failed: the line goes to the platform logger.
        }
      }
      System.Logger platform = fallback();
      if (error == null) {
        platform.log(platformLevel(level), message);
      } else {
        platform.log(platformLevel(level), message, error);
      }
    }

    private Target look() {
      nextLookNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
      Slf4j slf4j = applicationSlf4j();
      if (slf4j == null) {
        return null;
      }
      try {
        Target found = new Target(slf4j, slf4j.logger(name));
        target = found;
        return found;
      } catch (Throwable e) {
        return null;
      }
    }

    private System.Logger fallback() {
      System.Logger logger = fallback;
      if (logger == null) {
        logger = System.getLogger(name);
        fallback = logger;
      }
      return logger;
    }
  }

  /** An application's logger and the handles that call it. */
  private record Target(Slf4j slf4j, Object logger) {
    boolean isEnabled(Level level) throws Throwable {
      return (boolean) slf4j.enabled[level.ordinal()].invokeExact(logger);
    }

    void log(Level level, String message, Throwable error) throws Throwable {
      slf4j.log[level.ordinal()].invokeExact(logger, message, error);
    }
  }

  /** @return the first candidate's SLF4J that has a real provider, or {@code null} */
  private static Slf4j applicationSlf4j() {
    ClassLoader[] caller = new ClassLoader[1];
    boolean inTransform =
        STACK.walk(
            frames ->
                frames.anyMatch(
                    frame -> {
                      if (frame.getClassName().startsWith("sun.instrument.")) {
                        return true;
                      }
                      if (caller[0] == null) {
                        ClassLoader loader = frame.getDeclaringClass().getClassLoader();
                        if (loader != null && loader != PLATFORM && loader != AGENT) {
                          caller[0] = loader;
                        }
                      }
                      return false;
                    }));
    if (inTransform) {
      return null;
    }
    ClassLoader[] candidates = {
      caller[0], Thread.currentThread().getContextClassLoader(), ClassLoader.getSystemClassLoader()
    };
    for (ClassLoader candidate : candidates) {
      Slf4j slf4j = candidate == null ? null : seenBy(candidate);
      if (slf4j != null && slf4j.hasProvider()) {
        return slf4j;
      }
    }
    return null;
  }

  private static Slf4j seenBy(ClassLoader loader) {
    if (BLIND.containsKey(loader)) {
      return null;
    }
    Class<?> factoryType;
    try {
      factoryType = Class.forName(SLF4J + ".LoggerFactory", false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      BLIND.put(loader, Boolean.TRUE);
      return null;
    }
    if (factoryType == org.slf4j.LoggerFactory.class) {
      // Weft's own SLF4J, unrelocated (this module's tests): forwarding to it would loop.
      return null;
    }
    return SLF4J_BY_FACTORY.get(factoryType).orElse(null);
  }

  /** One application SLF4J (1.7 or 2.x), called through method handles on its own classes. */
  private static final class Slf4j {
    private final MethodHandle getILoggerFactory;
    private final MethodHandle getLogger;
    /** By {@link Level#ordinal()}: {@code Logger.warn(String, Throwable)} and the like. */
    private final MethodHandle[] log = new MethodHandle[Level.values().length];
    /** By {@link Level#ordinal()}: {@code Logger.isWarnEnabled()} and the like. */
    private final MethodHandle[] enabled = new MethodHandle[Level.values().length];
    private volatile Object factory;
    /**
     * Whether a provider (SLF4J 2) or binding (1.7) is there to find: if not, the application's
     * SLF4J is left uninitialized, so that Weft does not make it print its "no providers" warning.
     */
    private final boolean bindable;

    Slf4j(Class<?> factoryType) throws ReflectiveOperationException {
      ClassLoader loader = factoryType.getClassLoader();
      String providers = "META-INF/services/" + SLF4J + ".spi.SLF4JServiceProvider";
      String binder = String.join("/", "org", "slf4j", "impl", "StaticLoggerBinder.class");
      bindable = System.getProperty("slf4j.provider") != null
          || loader.getResource(providers) != null
          || loader.getResource(binder) != null;
      Class<?> loggerFactoryType = Class.forName(SLF4J + ".ILoggerFactory", false, loader);
      Class<?> loggerType = Class.forName(SLF4J + ".Logger", false, loader);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      getILoggerFactory =
          lookup
              .findStatic(
                  factoryType, "getILoggerFactory", MethodType.methodType(loggerFactoryType))
              .asType(MethodType.methodType(Object.class));
      getLogger =
          lookup
              .findVirtual(
                  loggerFactoryType, "getLogger", MethodType.methodType(loggerType, String.class))
              .asType(MethodType.methodType(Object.class, Object.class, String.class));
      for (Level level : Level.values()) {
        String method = level.name().toLowerCase(Locale.ROOT);
        log[level.ordinal()] =
            lookup
                .findVirtual(
                    loggerType,
                    method,
                    MethodType.methodType(void.class, String.class, Throwable.class))
                .asType(
                    MethodType.methodType(void.class, Object.class, String.class, Throwable.class));
        String check = "is" + Character.toUpperCase(method.charAt(0)) + method.substring(1)
            + "Enabled";
        enabled[level.ordinal()] =
            lookup
                .findVirtual(loggerType, check, MethodType.methodType(boolean.class))
                .asType(MethodType.methodType(boolean.class, Object.class));
      }
    }

    /** @return whether the application's SLF4J has a real provider; may initialize it */
    boolean hasProvider() {
      if (factory != null) {
        return true;
      }
      if (!bindable) {
        return false;
      }
      try {
        Object current = (Object) getILoggerFactory.invokeExact();
        String type = current == null ? NOP_FACTORY : current.getClass().getName();
        if (type.equals(NOP_FACTORY) || type.equals(SUBSTITUTE_FACTORY)) {
          return false;
        }
        factory = current;
        return true;
      } catch (Throwable e) {
        return false;
      }
    }

    Object logger(String name) throws Throwable {
      return (Object) getLogger.invokeExact(factory, name);
    }
  }

  private static System.Logger.Level platformLevel(Level level) {
    switch (level) {
      case ERROR:
        return System.Logger.Level.ERROR;
      case WARN:
        return System.Logger.Level.WARNING;
      case INFO:
        return System.Logger.Level.INFO;
      case DEBUG:
        return System.Logger.Level.DEBUG;
      default:
        return System.Logger.Level.TRACE;
    }
  }
}
