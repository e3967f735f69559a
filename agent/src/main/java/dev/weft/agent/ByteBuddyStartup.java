package dev.weft.agent;

import net.bytebuddy.dynamic.Nexus;

/**
 * A start-up cost of ByteBuddy that the agent does not need, switched off through ByteBuddy's own
 * system property before any of its classes initializes.
 *
 * <p>{@link Nexus#PROPERTY}: the Nexus is the class ByteBuddy injects into the system class loader
 * to run the initializers of the types it changes. The agent never adds initializers ({@code
 * disableClassFormatChanges()}), but {@code new AgentBuilder.Default()} prepares the Nexus anyway,
 * generating and injecting a class at start-up (about 200 classes loaded for nothing).
 *
 * <p>The agent's ByteBuddy is relocated, and the shade plugin relocates the property's name with
 * it (to {@code dev.weft.agent.shaded.net.bytebuddy.nexus.disabled}): an application's own
 * ByteBuddy does not read it. A value already set, on the command line for instance, is kept.
 *
 * <p>Not used, though it also saves start-up time: {@code JavaDispatcher.GENERATE_PROPERTY}. With
 * ByteBuddy 1.18 on Java 17 the dispatcher it generates for {@code java.lang.constant.ClassDesc}
 * fails verification, and every class the agent transforms fails with it.
 */
final class ByteBuddyStartup {

  private ByteBuddyStartup() {}

  /** Sets the property unless it is set; call before the agent touches ByteBuddy. */
  static void configure() {
    if (System.getProperty(Nexus.PROPERTY) == null) {
      System.setProperty(Nexus.PROPERTY, "true");
    }
  }
}
