package dev.weft.sample.web;

/**
 * A request the service refuses with a 4xx status and a message saying what was wrong and what
 * would be right, or with 503 when what it needs is down. Thrown by request handling; turned into
 * a JSON error by {@link Router}, with {@code WWW-Authenticate} on a 401 and {@code Retry-After}
 * on a 503.
 */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status the HTTP status, 400 to 499, or 503
   * @param message what was wrong, for the client to read
   */
  public ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** @return the HTTP status */
  public int status() {
    return status;
  }
}
