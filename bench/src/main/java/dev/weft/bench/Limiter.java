package dev.weft.bench;

/** One rate limiter under measurement: a decision per call, state in Redis. */
interface Limiter extends AutoCloseable {

  /**
   * @param key what is limited
   * @return whether one permit was granted
   * @throws Exception if the client fails
   */
  boolean tryAcquire(String key) throws Exception;

  /** Closes the limiter's clients and their threads. */
  @Override
  void close();
}
