package dev.weft.writebehind;

/**
 * Writes a value to the application's own store (a database, a service), called by a {@link
 * WriteBehind}'s consumers some time after the value was written to Redis.
 *
 * <p>Returning normally means the value is stored: the write is then forgotten. Throwing leaves it
 * to be retried (after {@link WriteBehindOptions#minIdle}), until {@link
 * WriteBehindOptions#maxDeliveries} attempts have failed and it becomes a dead letter. Delivery is
 * at least once (a consumer that dies after persisting but before recording it persists the value
 * again later), so a persister should be idempotent, such as an upsert. Calls for one key never
 * overlap and never go back to an older value; calls for different keys run concurrently when
 * there are several consumers.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface Persister<T> {

  /**
   * @param key the entry's key in Redis, never {@code null}
   * @param value the newest value written under {@code key} when this attempt began, never {@code
   *     null}
   * @throws Exception to have the write retried
   */
  void persist(String key, T value) throws Exception;
}
