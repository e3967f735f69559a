package dev.weft.sample.shop;

import java.sql.SQLException;

/** The database failed or could not be reached; the HTTP layer answers 503. */
public final class DatabaseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param cause the JDBC failure, not {@code null} */
  public DatabaseException(SQLException cause) {
    super("database error: " + cause.getMessage(), cause);
  }
}
