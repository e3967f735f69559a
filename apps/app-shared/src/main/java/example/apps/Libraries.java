package example.apps;

import java.lang.reflect.Field;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the application runs on: for each library it uses, the version and the jar its classes were
 * loaded from, as the application's own class loader sees them. A library that is not visible is
 * reported as {@code absent}.
 *
 * <p>Versions come from the probed class's own jar (its manifest's {@code Implementation-Version},
 * Jackson's {@code PackageVersion}), never from resources looked up by name: Netty's {@code
 * Version.identify()} reads every {@code META-INF/io.netty.versions.properties} the loader sees,
 * so another Netty on the class path would answer for the application's.
 */
public final class Libraries {

  /** The library names reported and a class of each. */
  private static final Map<String, String> PROBES = new LinkedHashMap<>();

  static {
    PROBES.put("spring-boot", "org.springframework.boot.SpringApplication");
    PROBES.put("lettuce", "io.lettuce.core.RedisClient");
    PROBES.put("netty-common", "io.netty.util.Version");
    PROBES.put("netty-buffer", "io.netty.buffer.ByteBuf");
    PROBES.put("netty-transport", "io.netty.channel.Channel");
    PROBES.put("netty-handler", "io.netty.handler.ssl.SslContext");
    PROBES.put("reactor", "reactor.core.publisher.Mono");
    PROBES.put("jackson2-databind", "com.fasterxml.jackson.databind.ObjectMapper");
    PROBES.put("jackson3-databind", "tools.jackson.databind.ObjectMapper");
    PROBES.put("slf4j", "org.slf4j.LoggerFactory");
    PROBES.put("logback", "ch.qos.logback.classic.LoggerContext");
  }

  private Libraries() {}

  /**
   * @param loader the class loader to look through, not {@code null}
   * @return per library name, {@code version} and {@code source} (the code source location), or
   *     {@code absent: true}; never {@code null}
   */
  public static Map<String, Map<String, Object>> report(ClassLoader loader) {
    Map<String, Map<String, Object>> report = new LinkedHashMap<>();
    PROBES.forEach((name, className) -> report.put(name, describe(name, className, loader)));
    return report;
  }

  private static Map<String, Object> describe(String name, String className, ClassLoader loader) {
    Map<String, Object> entry = new LinkedHashMap<>();
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      entry.put("absent", true);
      return entry;
    }
    entry.put("version", version(name, type));
    CodeSource source = type.getProtectionDomain().getCodeSource();
    entry.put("source", source == null || source.getLocation() == null
        ? "(none)" : source.getLocation().toString());
    return entry;
  }

  private static String version(String name, Class<?> type) {
    try {
      if (name.startsWith("jackson")) {
        String packageVersion = type.getPackageName() + ".cfg.PackageVersion";
        Field field = Class.forName(packageVersion, true, type.getClassLoader()).getField("VERSION");
        return field.get(null).toString();
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      return "unknown: " + e;
    }
    return type.getPackage().getImplementationVersion();
  }
}
