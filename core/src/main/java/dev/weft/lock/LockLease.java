package dev.weft.lock;

import dev.weft.annotation.LockContext;

/**
 * A held distributed lock. Close it to release it (idempotent); use it in try-with-resources:
 *
 * <pre>{@code
 * try (LockLease lease = weft.lock("invoice:" + id).acquire(Duration.ofSeconds(2))) {
 *   ledger.write(entry, lease.fencingToken());
 * }
 * }</pre>
 *
 * <p>Thread-safe: it may be released from another thread than the one that acquired it. A lease
 * is renewed while someone can still close it: once it is garbage collected without having been
 * closed (or the stage it was handed to with {@link #releaseWhenComplete} is collected without
 * completing), renewal stops with a WARN naming where it was acquired and the lock expires at the
 * end of its lease. {@link LockOptions#maxHold()} bounds a hold however long its lease is kept.
 */
public interface LockLease extends AutoCloseable {

  /** @return the lock's key as given (without Weft's prefix), never {@code null} */
  String key();

  /**
   * The fencing token of this hold: a number that strictly increases for this key across every
   * process and holder. Hand it to storage that remembers the largest token it has seen and
   * rejects writes carrying a smaller one: then a holder that lost its lease (a long GC pause, a
   * network partition) cannot overwrite the work of the next holder.
   *
   * @return the token, positive
   * @throws IllegalStateException for a Redlock lock, which has no fencing token
   */
  long fencingToken();

  /**
   * @return whether the lease is still known to be held: acquired, not released, and either
   *     renewed in time or not yet expired by the client's own conservative reckoning. {@code
   *     false} means another holder may have the lock now.
   */
  boolean isHeld();

  /**
   * Hands the lease to asynchronous work: the calling thread stops holding the lock (it no longer
   * re-enters it, and {@link LockContext} no longer reports it), and the lease is closed when
   * {@code stage} completes, normally or not. This is what a {@code @DistributedLock} method that
   * returns a {@code CompletableFuture} does.
   *
   * <pre>{@code
   * LockLease lease = weft.lock("import:" + id).acquire(Duration.ZERO);
   * CompletableFuture<Report> done = importer.start(id);
   * lease.releaseWhenComplete(done);
   * return done;
   * }</pre>
   *
   * @param stage the work that holds the lock, not {@code null}
   */
  void releaseWhenComplete(java.util.concurrent.CompletionStage<?> stage);

  /**
   * Releases the lock (after {@link LockOptions#holdAtLeast()} has passed, if set) and stops its
   * renewal. Idempotent; never throws: if Redis cannot be reached, the lock expires at the end of
   * its lease.
   */
  @Override
  void close();
}
