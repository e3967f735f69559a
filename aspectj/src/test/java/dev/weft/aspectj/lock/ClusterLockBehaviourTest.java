package dev.weft.aspectj.lock;

import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import org.junit.jupiter.api.BeforeAll;

/** The whole lock behaviour suite again, on the 3-master Redis Cluster. */
@WeftRedisCluster
class ClusterLockBehaviourTest extends DistributedLockBehaviourTest {

  @BeforeAll
  static void onCluster(RedisCluster cluster) throws Exception {
    useCluster(cluster);
  }
}
