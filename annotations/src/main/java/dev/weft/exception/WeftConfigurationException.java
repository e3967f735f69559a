package dev.weft.exception;


/**
 * A Weft annotation or setting is wrong: an unknown template name, an unparsable duration, a
 * return type that cannot be stored. The message names the method, the annotation attribute and
 * what would be right. Thrown at the first call of the method, before anything is read from or
 * written to Redis; the weft-processor reports the same mistakes at compile time.
 */
public class WeftConfigurationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong and how to fix it, never {@code null}
   */
  public WeftConfigurationException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong and how to fix it, never {@code null}
   * @param cause the underlying failure, may be {@code null}
   */
  public WeftConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
