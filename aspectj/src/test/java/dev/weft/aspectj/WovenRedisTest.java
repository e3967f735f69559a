package dev.weft.aspectj;

import dev.weft.Weft;
import dev.weft.test.RedisCluster;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the behaviour suite: the class's own real Redis, a Weft runtime installed for the
 * woven methods, and a plain Lettuce client ({@link #redis}) to read back what they wrote. The
 * previous runtime is restored afterwards.
 *
 * <p>A subclass runs the same tests on the 3-master cluster by calling {@link #useCluster} from
 * its own {@code @BeforeAll}; {@link #redis} then talks to the cluster, and the command-statistics
 * helpers add up every master's figures.
 */
@WeftRedis
public abstract class WovenRedisTest {

  protected static Weft weft;
  protected static RedisClusterCommands<String, String> redis;

  private static Weft previous;
  private static AutoCloseable client;
  private static StatefulConnection<String, String> connection;
  private static List<RedisClusterCommands<String, String>> nodes;

  @BeforeAll
  static void startWeft(RedisServer server) {
    RedisClient standalone = RedisClient.create(server.url());
    StatefulRedisConnection<String, String> c = standalone.connect();
    start(server.url(), standalone::shutdown, c, c.sync(), List.of(c.sync()));
  }

  /**
   * Switches this class to the cluster: call from a subclass's {@code @BeforeAll}.
   *
   * @param cluster the class's cluster
   */
  protected static void useCluster(RedisCluster cluster) throws Exception {
    stopWeft();
    RedisClusterClient clusterClient = cluster.newClient();
    StatefulRedisClusterConnection<String, String> c = clusterClient.connect();
    List<RedisClusterCommands<String, String>> masters = new ArrayList<>();
    for (RedisClusterNode node : c.getPartitions()) {
      masters.add(c.getConnection(node.getNodeId()).sync());
    }
    start(cluster.url(), clusterClient::shutdown, c, c.sync(), masters);
  }

  private static void start(
      String url, AutoCloseable client, StatefulConnection<String, String> connection,
      RedisClusterCommands<String, String> commands, List<RedisClusterCommands<String, String>> nodes) {
    weft = Weft.builder().redisUrl(url).build();
    Weft previousRuntime = Weft.install(weft);
    if (previous == null) {
      previous = previousRuntime;
    }
    WovenRedisTest.client = client;
    WovenRedisTest.connection = connection;
    WovenRedisTest.redis = commands;
    WovenRedisTest.nodes = nodes;
  }

  @AfterAll
  static void stopWeft() throws Exception {
    if (connection == null) {
      return;
    }
    connection.close();
    client.close();
    connection = null;
    if (previous != null) {
      Weft.install(previous);
    }
    weft.close();
  }

  /** Resets command statistics on every master. */
  protected static void resetStats() {
    nodes.forEach(RedisClusterCommands::configResetstat);
  }

  /**
   * @param command a command name, lower case
   * @return how often it ran since {@link #resetStats()}, over every master
   */
  protected static long calls(String command) {
    long total = 0;
    Pattern p = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)");
    for (RedisClusterCommands<String, String> node : nodes) {
      Matcher m = p.matcher(node.info("commandstats"));
      total += m.find() ? Long.parseLong(m.group(1)) : 0;
    }
    return total;
  }

  /** @return how many masters the suite runs against: 1, or 3 on the cluster */
  protected static int masters() {
    return nodes.size();
  }
}
