package dev.weft.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.lock.LockLease;
import dev.weft.lock.WeftLock;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Locks on the 3-master cluster: the lock and its fence share the user key's slot, so acquiring
 * (one script over both) never meets CROSSSLOT, and a waiter is woken by the release's PUBLISH.
 */
@WeftRedisCluster
class ClusterLockTest {

  private Weft weft;
  private ExecutorService others;

  @BeforeEach
  void start(RedisCluster cluster) {
    weft = Weft.builder().redisUrl(cluster.url()).build();
    others = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stop() {
    others.shutdownNow();
    weft.close();
  }

  @Test
  void locksOnManySlots_areExclusive_withIncreasingTokens() throws Exception {
    for (int i = 0; i < 30; i++) {
      WeftLock lock = weft.lock("account:" + i);
      long first;
      try (LockLease lease = lock.acquire(Duration.ZERO)) {
        first = lease.fencingToken();
        Optional<LockLease> other = others.submit(() -> lock.tryAcquire()).get(10, TimeUnit.SECONDS);
        assertThat(other).as("account:%d", i).isEmpty();
      }
      try (LockLease lease = lock.acquire(Duration.ZERO)) {
        assertThat(lease.fencingToken()).isGreaterThan(first);
      }
    }
  }

  @Test
  void waiters_onEveryNode_areWokenByReleases() throws Exception {
    List<LockLease> held = new ArrayList<>();
    List<Future<Boolean>> waiters = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      WeftLock lock = weft.lock("queue:" + i, dev.weft.lock.LockOptions.defaults().lease(Duration.ofMinutes(1)));
      held.add(lock.acquire(Duration.ZERO));
      waiters.add(others.submit(() -> {
        try (LockLease lease = lock.acquire(Duration.ofSeconds(20))) {
          return lease.isHeld();
        }
      }));
    }
    held.forEach(LockLease::close);
    for (Future<Boolean> w : waiters) {
      assertThat(w.get(20, TimeUnit.SECONDS)).isTrue();
    }
  }
}
