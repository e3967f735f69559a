package dev.weft.internal.lock;

/**
 * What locks report: acquisitions by outcome and lost leases. Published through the runtime's
 * Micrometer registry ({@code Weft.Builder.meterRegistry}), else Micrometer's global registry, when
 * Micrometer is on the class path; otherwise nothing is recorded.
 *
 * <ul>
 *   <li>{@code weft.lock.acquisitions} (counter), tag {@code outcome}: {@code acquired}; {@code
 *       busy}, taken by another holder and not waited for (a {@code tryAcquire()}, a call in
 *       {@code onLocked = SKIP} mode); {@code timeout}, still taken after waiting; {@code failed},
 *       Redis could not be asked;
 *   <li>{@code weft.lock.lost} (counter): leases lost while held (renewal too late or refused).
 *   <li>{@code weft.lock.abandoned} (counter), tag {@code reason}: renewals stopped because
 *       {@code owner-gone}, every owner of the hold (thread, lease, future) was gone without
 *       releasing it, or {@code max-hold}, the hold reached its {@code maxHold}.
 * </ul>
 */
interface LockMetrics {

  LockMetrics NONE =
      new LockMetrics() {
        @Override
        public void acquired() {}

        @Override
        public void busy() {}

        @Override
        public void timedOut() {}

        @Override
        public void failed() {}

        @Override
        public void lost() {}

        @Override
        public void abandoned() {}

        @Override
        public void heldTooLong() {}
      };

  void acquired();

  void busy();

  void timedOut();

  void failed();

  void lost();

  void abandoned();

  void heldTooLong();

  /**
   * @param registry the runtime's {@code MeterRegistry}, or {@code null} for the global one
   * @return Micrometer-backed metrics when Micrometer is present, else {@link #NONE}
   */
  static LockMetrics create(Object registry) {
    return dev.weft.internal.Micrometer.present() ? Micrometer.create(registry) : NONE;
  }


  /**
   * Micrometer meters; only loaded when Micrometer is on the class path. Every reference to a
   * Micrometer type stays inside this class, so that verifying {@link LockMetrics} itself never
   * loads one.
   */
  final class Micrometer implements LockMetrics {
    private final io.micrometer.core.instrument.Counter acquired;
    private final io.micrometer.core.instrument.Counter busy;
    private final io.micrometer.core.instrument.Counter timedOut;
    private final io.micrometer.core.instrument.Counter failed;
    private final io.micrometer.core.instrument.Counter lost;
    private final io.micrometer.core.instrument.Counter abandoned;
    private final io.micrometer.core.instrument.Counter heldTooLong;

    static LockMetrics create(Object registry) {
      return new Micrometer(dev.weft.internal.Micrometer.Registries.of(registry));
    }

    private Micrometer(io.micrometer.core.instrument.MeterRegistry r) {
      acquired = r.counter("weft.lock.acquisitions", "outcome", "acquired");
      busy = r.counter("weft.lock.acquisitions", "outcome", "busy");
      timedOut = r.counter("weft.lock.acquisitions", "outcome", "timeout");
      failed = r.counter("weft.lock.acquisitions", "outcome", "failed");
      lost = r.counter("weft.lock.lost");
      abandoned = r.counter("weft.lock.abandoned", "reason", "owner-gone");
      heldTooLong = r.counter("weft.lock.abandoned", "reason", "max-hold");
    }

    @Override
    public void acquired() {
      acquired.increment();
    }

    @Override
    public void busy() {
      busy.increment();
    }

    @Override
    public void timedOut() {
      timedOut.increment();
    }

    @Override
    public void failed() {
      failed.increment();
    }

    @Override
    public void lost() {
      lost.increment();
    }

    @Override
    public void abandoned() {
      abandoned.increment();
    }

    @Override
    public void heldTooLong() {
      heldTooLong.increment();
    }
  }
}
