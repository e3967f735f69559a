package dev.weft.agent;

import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} entry point. It does nothing but switch off a start-up cost of ByteBuddy
 * ({@link ByteBuddyStartup}) and install {@link WeftTransformer}; the woven code calls weft-core,
 * where all behaviour lives.
 *
 * <pre>{@code
 * java -javaagent:weft-agent.jar -jar app.jar
 * }</pre>
 */
public final class WeftAgent {

  private WeftAgent() {}

  /**
   * Called by the JVM before {@code main} when started with {@code -javaagent}.
   *
   * @param arguments the text after {@code =} in the option, ignored; may be {@code null}
   * @param instrumentation the JVM's instrumentation, not {@code null}
   */
  public static void premain(String arguments, Instrumentation instrumentation) {
    ByteBuddyStartup.configure();
    WeftTransformer.install(instrumentation);
  }

  /**
   * Called when the agent is attached to a running JVM. Classes already loaded are retransformed.
   *
   * @param arguments ignored; may be {@code null}
   * @param instrumentation the JVM's instrumentation, not {@code null}
   */
  public static void agentmain(String arguments, Instrumentation instrumentation) {
    ByteBuddyStartup.configure();
    WeftTransformer.install(instrumentation);
  }
}
