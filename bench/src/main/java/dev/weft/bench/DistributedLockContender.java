package dev.weft.bench;

/** One distributed lock implementation under measurement. */
interface DistributedLockContender extends AutoCloseable {

  /**
   * Takes the lock on {@code key}, waiting as long as it takes.
   *
   * @param key the lock's name
   * @return what {@link #unlock} needs
   * @throws Exception if the client fails
   */
  Object lock(String key) throws Exception;

  /**
   * Takes the lock on {@code key} only if it is free.
   *
   * @param key the lock's name
   * @return what {@link #unlock} needs, or {@code null} if the lock is taken
   * @throws Exception if the client fails
   */
  Object tryLock(String key) throws Exception;

  /**
   * @param key the lock's name
   * @param held what {@link #lock} returned
   * @throws Exception if the client fails
   */
  void unlock(String key, Object held) throws Exception;

  /** Closes the clients and their threads. */
  @Override
  void close();
}
