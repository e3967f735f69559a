package dev.weft.internal.cache;

/** Rethrows a method's own exception, checked or not, unchanged. */
public final class Sneaky {

  private Sneaky() {}

  /**
   * @param t what the method threw, not {@code null}
   * @return never returns; declared so callers can write {@code throw Sneaky.rethrow(t)}
   */
  public static RuntimeException rethrow(Throwable t) {
    throw Sneaky.<RuntimeException>cast(t);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T cast(Throwable t) throws T {
    throw (T) t;
  }
}
