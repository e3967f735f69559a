package dev.weft.test;

/**
 * Thrown when a Redis server could not be started; the message carries the server's own log output.
 */
final class RedisStartException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final boolean portInUse;

  RedisStartException(String message, boolean portInUse) {
    super(message);
    this.portInUse = portInUse;
  }

  /**
   * @return whether the server failed because its port was taken, so a new port may help
   */
  boolean portInUse() {
    return portInUse;
  }
}
