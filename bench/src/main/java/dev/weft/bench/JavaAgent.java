package dev.weft.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The {@code -javaagent} a benchmark fork is started with, for contenders woven at load time. The
 * jars' paths come from {@code weft-bench.properties}, which Maven writes at build time (the local
 * repository's {@code aspectjweaver} and {@code agent/target/weft-agent.jar}), or from the system
 * properties {@code weft.bench.aspectjweaver} and {@code weft.bench.agent}.
 */
enum JavaAgent {
  /** No agent: the class runs as built (unwoven, or woven by ajc at build time). */
  NONE(null),
  /** AspectJ load-time weaving: {@code aspectjweaver.jar}, with weft-aspectj's {@code aop.xml}. */
  ASPECTJ_WEAVER("aspectjweaver"),
  /** The Weft agent, {@code weft-agent.jar}. */
  WEFT_AGENT("agent");

  private final String property;

  JavaAgent(String property) {
    this.property = property;
  }

  /**
   * @return the JVM options that start a fork with this agent, none for {@link #NONE}
   * @throws IllegalStateException if the agent's jar is not where it should be
   */
  List<String> jvmArgs() {
    if (this == NONE) {
      return List.of();
    }
    Path jar = jar();
    // The path also goes in as the property, so the fork's requireRunning resolves the same jar.
    return List.of("-javaagent:" + jar, "-Dweft.bench." + property + "=" + jar);
  }

  /**
   * Fails unless this JVM was started with exactly this agent, so that a misconfigured fork
   * cannot report a plain call under a woven contender's name.
   *
   * @param contender who is being set up, for the message
   */
  void requireRunning(Object contender) {
    List<String> agents =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-javaagent:"))
            .toList();
    boolean ok =
        this == NONE ? agents.isEmpty() : agents.size() == 1 && agents.get(0).equals(jvmArgs().get(0));
    if (!ok) {
      throw new IllegalStateException(
          contender + " must run in a fork with " + (this == NONE ? "no -javaagent" : jvmArgs())
              + ", but this JVM has " + agents
              + "; run it through BenchMain (java -jar benchmarks.jar), which starts such forks");
    }
  }

  private Path jar() {
    String configured = System.getProperty("weft.bench." + property);
    if (configured == null) {
      Properties built = new Properties();
      try (InputStream in = JavaAgent.class.getResourceAsStream("/weft-bench.properties")) {
        if (in == null) {
          throw new IllegalStateException("weft-bench.properties is missing from the bench jar");
        }
        built.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      configured = built.getProperty(property);
    }
    Path jar = Path.of(configured).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no " + jar + " for " + this + "; build it (mvn -o -q install -DskipTests -pl"
              + " annotations,core,aspectj,agent) or give its path as -Dweft.bench." + property);
    }
    return jar;
  }
}
