package dev.weft.aspectj.caching;

import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import org.junit.jupiter.api.BeforeAll;

/** The whole caching behaviour suite again, on the 3-master Redis Cluster. */
@WeftRedisCluster
class ClusterCachingBehaviourTest extends CachingBehaviourTest {

  @BeforeAll
  static void onCluster(RedisCluster cluster) throws Exception {
    useCluster(cluster);
  }
}
