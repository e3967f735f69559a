package dev.weft.internal.redis;

import java.util.Locale;

/**
 * What kind of failure a Redis call met, as {@link RedisFailure#classify} decides it. Each kind
 * says whether the call could not be served (an outage, to which every pattern applies its
 * failure policy) or whether Weft or its data is wrong (a defect, which surfaces as an exception),
 * and whether it counts against the gateway's circuit breaker. The reasons are in {@link
 * RedisFailure}'s Design block; the table is also in {@code docs/design.md}.
 */
public enum FailureKind {

  /** The connection could not be opened, or was lost or closed while a command was on it. */
  CONNECTION(true, true),
  /** No reply within the command timeout. */
  TIMEOUT(true, true),
  /** Lettuce refused to send: not connected (commands are rejected, not queued) or queue full. */
  REJECTED(true, true),
  /** {@code LOADING}: the server is loading its data set into memory. */
  LOADING(true, true),
  /** {@code BUSY}: a script or function runs past its time limit and blocks the server. */
  BUSY(true, true),
  /** {@code MASTERDOWN}: a replica that lost its master and serves nothing stale. */
  MASTERDOWN(true, true),
  /** {@code CLUSTERDOWN}: the cluster cannot serve (slots uncovered, no quorum). */
  CLUSTERDOWN(true, true),
  /** {@code TRYAGAIN}: a multi-key command during a slot migration; the slot is in flux. */
  TRYAGAIN(true, false),
  /** {@code READONLY}: the connection reaches a replica, such as a stale master after failover. */
  READONLY(true, true),
  /** {@code OOM}: a write refused at {@code maxmemory} under {@code noeviction}. */
  OOM(true, false),
  /** {@code NOAUTH}: the server requires a password that the connection did not give. */
  NOAUTH(true, true),
  /** {@code WRONGPASS}, or AUTH against a server without one: the credentials are wrong. */
  WRONGPASS(true, true),
  /** {@code NOPERM}: the ACL user lacks a command, key or channel permission. */
  NOPERM(true, false),
  /** {@code WRONGTYPE}: a key of Weft's holds another type; another program writes into it. */
  WRONGTYPE(false, false),
  /** A script failed of itself (a Lua error, a bad argument): a bug of Weft's. */
  SCRIPT(false, false),
  /** Any other error reply, or an exception that is not Redis's. */
  OTHER(false, false);

  private final boolean outage;
  private final boolean countsAgainstBreaker;
  private final String tag;

  FailureKind(boolean outage, boolean countsAgainstBreaker) {
    this.outage = outage;
    this.countsAgainstBreaker = countsAgainstBreaker;
    this.tag = name().toLowerCase(Locale.ROOT);
  }

  /**
   * @return whether the call could not be served, so that the caller's failure policy applies
   *     (caches call the method, locks refuse, limits allow or deny as configured); {@code false}
   *     for a defect, which the caller sees as an exception
   */
  public boolean outage() {
    return outage;
  }

  /**
   * @return whether it counts as a failure of the circuit breaker; outages that do not are
   *     ignored by it, defects count as successes (the server answered)
   */
  public boolean countsAgainstBreaker() {
    return countsAgainstBreaker;
  }

  /** @return the lower-case name, for metric tags and messages, never {@code null} */
  public String tag() {
    return tag;
  }
}
