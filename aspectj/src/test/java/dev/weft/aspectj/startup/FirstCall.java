package dev.weft.aspectj.startup;

import dev.weft.aspectj.kinds.Kinds;

/**
 * A start-up probe: calls one {@code @Cached} method once and exits. Compiled woven (aspectj
 * module, CTW) and unwoven (agent module, for the agent, load-time weaving and no weaving), so
 * {@code StartupCost} can time JVM start plus the first call in every mode with the same code.
 */
public final class FirstCall {

  private FirstCall() {}

  /**
   * Prints {@code first=<value>} and exits.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.println("first=" + Kinds.statik("startup"));
    System.exit(0);
  }
}
