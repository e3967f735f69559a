package dev.weft.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The class-file transformer: decides, as cheaply as it can, whether a class being loaded has
 * anything to weave, and hands the few that do to {@link ClassWeaver}, ByteBuddy.
 *
 * <h2>Design</h2>
 *
 * Nearly every class an application loads has nothing to do with Weft, so the checks run from the
 * cheapest to the dearest, in plain Java, and most classes leave at the first:
 *
 * <ol>
 *   <li>the JDK's class loaders, and packages known to hold nothing woven (the JDK, Weft itself,
 *       its dependencies, ByteBuddy): by the class's name;
 *   <li>{@link WovenIndex}: a class its jar's or folder's woven-classes index leaves out, by name;
 *   <li>a class file that does not mention {@code dev/weft/annotation/} anywhere cannot carry a
 *       Weft annotation: a byte search, no parsing (this is what classes of jars built without
 *       weft-processor go through);
 *   <li>a class woven already, by ajc (it calls Weft's aspect) or by this agent (it refers to
 *       {@code dev.weft.weaving.Woven}; a retransformation hands the agent its own output), is
 *       left as it is: woven twice, a {@code @Cached} call would wait on its own in-flight load;
 *   <li>{@link ClassWeaver} describes the rest with ByteBuddy and weaves the annotated methods, if
 *       any.
 * </ol>
 *
 * <p><b>Why a filter in front of ByteBuddy.</b> ByteBuddy's own matchers run on a type
 * description, which costs a parse of the class file, and ByteBuddy itself costs several hundred
 * milliseconds to set up (see {@link WeaverStartup}). With the checks above, ByteBuddy describes
 * only classes that name a Weft annotation, and a class that has nothing to weave never waits for
 * ByteBuddy to be ready.
 *
 * <p><b>Never in the way.</b> A class the agent cannot weave loads unchanged and runs without
 * Weft; the failure is logged as one warning with the class's name. Nothing thrown here reaches
 * the class loader. Logging goes to the platform logger ({@link System.Logger}), not SLF4J: an
 * application without an SLF4J provider must still see the warning; the logger is only created
 * when something is logged, so a clean start-up never initializes a logging framework.
 */
final class WeftTransformer implements ClassFileTransformer {

  private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

  /** Internal-name prefixes of packages that never hold woven classes. */
  private static final String[] SKIPPED_PACKAGES = {
    "dev/weft/agent/", "dev/weft/internal/", "dev/weft/syntax/", "dev/weft/weaving/", "java/",
    "javax/", "jdk/", "sun/",
    "com/sun/", "io/netty/", "io/lettuce/", "reactor/", "com/fasterxml/jackson/",
    "org/objectweb/asm/", "net/bytebuddy/", "org/slf4j/", "io/micrometer/", "com/github/benmanes/caffeine/",
    "io/github/resilience4j/", "org/aspectj/"
  };

  static final byte[] ANNOTATION_PACKAGE = ascii("Ldev/weft/annotation/");
  static final byte[] WOVEN_BY_AJC = ascii("dev/weft/aspectj/WeftAspect");
  static final byte[] WOVEN_BY_AGENT = ascii("dev/weft/weaving/Woven");

  private final WovenIndex index = new WovenIndex();
  private final AtomicBoolean ajcSeen = new AtomicBoolean();
  private final WeaverStartup weaver;

  /** @param weaver the weaver, which the first class to weave may wait for; not {@code null} */
  WeftTransformer(WeaverStartup weaver) {
    this.weaver = weaver;
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String internalName,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] classFile) {
    if (loader == null || loader == PLATFORM || internalName == null || skipsPackage(internalName)) {
      return null;
    }
    String name = internalName.replace('/', '.');
    try {
      if (index.skips(name, domain) || !contains(classFile, ANNOTATION_PACKAGE)) {
        return null;
      }
      if (contains(classFile, WOVEN_BY_AJC)) {
        if (ajcSeen.compareAndSet(false, true)) {
          Log.info("Weft's agent leaves classes that ajc has woven as they are (the first: " + name
              + "); run ajc-built classes without the agent, or classes built by javac with it");
        }
        return null;
      }
      if (contains(classFile, WOVEN_BY_AGENT)) {
        return null;
      }
      byte[] woven = weaver.weaver().weave(loader, internalName, classBeingRedefined, domain,
          classFile, classBeingRedefined == null ? null : compiled(loader, internalName));
      if (woven != null) {
        Log.debug("Weft wove " + name);
      }
      return woven;
    } catch (Throwable e) {
      Log.warning("Weft could not weave " + name + "; it runs without Weft's annotations", e);
      return null;
    }
  }

  /** @return the class file as its loader has it, or {@code null} if it cannot be read */
  private static byte[] compiled(ClassLoader loader, String internalName) {
    try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static boolean skipsPackage(String internalName) {
    for (String prefix : SKIPPED_PACKAGES) {
      if (internalName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** @return whether {@code bytes} holds {@code part} anywhere; a plain scan, no allocation */
  static boolean contains(byte[] bytes, byte[] part) {
    byte first = part[0];
    int last = bytes.length - part.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (bytes[i] != first) {
        continue;
      }
      for (int j = 1; j < part.length; j++) {
        if (bytes[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** The agent's logger, created at the first message. */
  static final class Log {
    /** Debug messages cost a logger lookup per woven class; only asked for by name. */
    private static final boolean DEBUG = Boolean.getBoolean("weft.agent.debug");

    private Log() {}

    private static System.Logger logger() {
      return Holder.LOGGER;
    }

    static void info(String message) {
      logger().log(System.Logger.Level.INFO, message);
    }

    static void debug(String message) {
      if (DEBUG) {
        logger().log(System.Logger.Level.DEBUG, message);
      }
    }

    static void warning(String message, Throwable error) {
      logger().log(System.Logger.Level.WARNING, message, error);
    }

    static void warning(String message) {
      logger().log(System.Logger.Level.WARNING, message);
    }

    private static final class Holder {
      static final System.Logger LOGGER = System.getLogger("dev.weft.agent");
    }
  }
}
