package dev.weft.sample.shop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The shop's source of truth: an H2 database in this process's memory, reached over JDBC through
 * H2's own bounded connection pool, with the schema and seed data of {@code db/schema.sql} and
 * {@code db/seed.sql} loaded when it opens. Every {@link #open} creates a new, empty database.
 *
 * <h2>Why a latency</h2>
 *
 * An embedded database answers in microseconds, faster than the network round trip to any cache:
 * a cache earns its place in front of a database that is a network hop away. So that the
 * comparison of cache on and off means what it would mean in production, every statement can
 * carry a fixed extra latency ({@code --db-latency}, default {@value #DEFAULT_LATENCY_MILLIS} ms)
 * standing for that hop. It is spent while the connection is held, as a real round trip is, and
 * reported wherever figures are printed. Set it to {@code 0ms} to measure the bare engine.
 *
 * <p>Why H2's pool rather than HikariCP: the sample needs a bound on connections (a database has
 * a finite number) and nothing else, and H2 ships one; a larger pool library would add a
 * dependency and settings that show nothing about Weft.
 *
 * <p>Every statement is counted in the counter {@code sample.db.queries}, tagged {@code
 * statement}. Thread-safe.
 */
public final class Database implements AutoCloseable {

  /** The default extra latency per statement, in milliseconds. */
  public static final long DEFAULT_LATENCY_MILLIS = 2;

  /** The most connections open at once; callers beyond it wait for one. */
  public static final int MAX_CONNECTIONS = 16;

  private final JdbcConnectionPool pool;
  private final Duration latency;
  private final MeterRegistry registry;
  private final Map<String, Counter> queries = new ConcurrentHashMap<>();

  private Database(JdbcConnectionPool pool, Duration latency, MeterRegistry registry) {
    this.pool = pool;
    this.latency = latency;
    this.registry = registry;
  }

  /**
   * Creates a new in-memory database with the shop's schema and seed data.
   *
   * @param latency the extra latency of every statement, zero or positive, not {@code null}
   * @param registry where statements are counted, not {@code null}
   * @return the open database, never {@code null}
   * @throws DatabaseException if the schema cannot be loaded
   */
  public static Database open(Duration latency, MeterRegistry registry) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("the database latency must not be negative: " + latency);
    }
    String url = "jdbc:h2:mem:weft-sample-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
    pool.setMaxConnections(MAX_CONNECTIONS);
    Database database = new Database(pool, latency, registry);
    database.transaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("RUNSCRIPT FROM 'classpath:db/schema.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/seed.sql'");
          }
          return null;
        });
    return database;
  }

  /** @return the extra latency of every statement, never {@code null} */
  public Duration latency() {
    return latency;
  }

  /**
   * Runs {@code work} on a pooled connection in auto-commit mode.
   *
   * @param work what to do, not {@code null}
   * @param <T> the result's type
   * @return what {@code work} returned
   * @throws DatabaseException if a statement or the connection failed
   */
  public <T> T read(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /**
   * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
   *
   * @param work what to do, not {@code null}
   * @param <T> the result's type
   * @return what {@code work} returned
   * @throws DatabaseException if a statement, the commit or the connection failed
   */
  public <T> T transaction(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /**
   * Executes a query: one round trip, counted under {@code name}.
   *
   * @param statement the prepared query with its parameters set
   * @param name the statement's name in {@code sample.db.queries}
   * @return its rows; the caller closes them
   * @throws SQLException if the query fails
   */
  public ResultSet query(PreparedStatement statement, String name) throws SQLException {
    roundTrip(name);
    return statement.executeQuery();
  }

  /**
   * Executes an update: one round trip, counted under {@code name}.
   *
   * @param statement the prepared statement with its parameters set
   * @param name the statement's name in {@code sample.db.queries}
   * @return the number of rows changed
   * @throws SQLException if the statement fails
   */
  public int update(PreparedStatement statement, String name) throws SQLException {
    roundTrip(name);
    return statement.executeUpdate();
  }

  private void roundTrip(String name) {
    queries
        .computeIfAbsent(
            name,
            n ->
                Counter.builder("sample.db.queries")
                    .description("Statements sent to the database")
                    .tag("statement", n)
                    .register(registry))
        .increment();
    long deadline = System.nanoTime() + latency.toNanos();
    for (long left = latency.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      LockSupport.parkNanos(left);
    }
  }

  /** Drops the database and closes every connection. */
  @Override
  public void close() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      // Already gone; nothing to drop.
    } finally {
      pool.dispose();
    }
  }

  /**
   * Work on one connection.
   *
   * @param <T> the result's type
   */
  @FunctionalInterface
  public interface Work<T> {
    /**
     * @param connection the connection, open; not to be closed by the work
     * @return the work's result
     * @throws SQLException if a statement fails
     */
    T run(Connection connection) throws SQLException;
  }
}
