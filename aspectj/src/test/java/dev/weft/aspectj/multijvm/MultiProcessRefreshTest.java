package dev.weft.aspectj.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.annotation.Cached;
import dev.weft.annotation.DistributedLock;
import dev.weft.aspectj.Mode;
import dev.weft.aspectj.StaleEntries;
import dev.weft.aspectj.WovenRedisTest;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.lock.LockLease;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A background refresh keeps the locks of the woven methods it calls: while another JVM ({@link
 * LockChild}) holds a {@code @DistributedLock}, a stale-while-revalidate method whose body calls
 * the locked method in this JVM cannot run the locked body from its refresh.
 */
class MultiProcessRefreshTest extends WovenRedisTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final String ENTRY = "ledger:balance:acct";

  /** Locked on the key {@link LockChild}'s {@code hold <id>} holds; THROW, waitTime 0. */
  static class Ledger {
    final AtomicInteger runs = new AtomicInteger();

    @DistributedLock(key = "crash:{0}")
    public long total(String account) {
      runs.incrementAndGet();
      return 42;
    }
  }

  /** A stale-while-revalidate balance read from the locked ledger. */
  static class Balances {
    final AtomicInteger loads = new AtomicInteger();
    final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
    private final Ledger ledger;

    Balances(Ledger ledger) {
      this.ledger = ledger;
    }

    @Cached(key = "ledger:balance:{account}", ttl = "10m", staleWhileRevalidate = "1m")
    public String balance(String account) {
      int n = loads.incrementAndGet();
      try {
        return ledger.total(account) + " #" + n;
      } catch (RuntimeException e) {
        failures.add(e);
        throw e;
      }
    }
  }

  @Test
  void refresh_nestedLockHeldByAnotherProcess_lockedBodyDoesNotRun_staleValueServed(
      RedisServer server) throws Exception {
    assumeTrue(Mode.annotated(), "the methods here are annotated; they have no programmatic twin");
    Ledger ledger = new Ledger();
    Balances balances = new Balances(ledger);
    assertThat(balances.balance("acct")).isEqualTo("42 #1");

    try (ChildJvm holder = new ChildJvm(LockChild.class, server.url())) {
      holder.await("READY", 60);
      holder.send("hold acct");
      holder.await("HELD", 30);

      List<String> served = StaleEntries.refreshOnce(
          redis, ENTRY, WINDOW, balances.loads, () -> balances.balance("acct"));
      Await.until(WAIT, () -> "the refresh's call of the locked method ends",
          () -> !balances.failures.isEmpty() || ledger.runs.get() > 1);

      assertThat(ledger.runs).as("locked bodies run while the other JVM holds the lock").hasValue(1);
      assertThat(balances.failures).isNotEmpty()
          .allSatisfy(e -> assertThat(e).isInstanceOf(LockNotAcquiredException.class));
      assertThat(served).as("what callers got while the refresh ran").containsOnly("42 #1");
      assertThat(redis.get(ENTRY)).as("a failed refresh stores nothing").contains("#1");
      holder.kill();
    }

    // The killed holder's lease (2 s) runs out; then a refresh runs the locked body and stores.
    Await.until(WAIT, () -> "the killed holder's lock is free", () -> {
      Optional<LockLease> lease = weft.lock("crash:acct").tryAcquire();
      lease.ifPresent(LockLease::close);
      return lease.isPresent();
    });
    StaleEntries.refreshOnce(redis, ENTRY, WINDOW, balances.loads, () -> balances.balance("acct"));
    Await.until(WAIT,
        () -> "a refresh stores a later run; entry " + redis.get(ENTRY) + ", runs "
            + balances.loads + ", failures " + balances.failures,
        () -> !String.valueOf(redis.get(ENTRY)).contains("#1"));
    assertThat(ledger.runs).as("locked bodies run, the refresh's once the lock was free")
        .hasValue(2);
  }
}
