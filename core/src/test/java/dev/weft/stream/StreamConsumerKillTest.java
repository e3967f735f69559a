package dev.weft.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ChildJvm;
import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import java.io.IOException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * At-least-once delivery across processes: two consumer JVMs share a group over 500 jobs; one is
 * killed with SIGKILL in the middle of a batch, so entries it had read stay pending under its
 * name, unacknowledged. The survivor must claim them with XAUTOCLAIM once they have been idle for
 * minIdle, and every one of the 500 jobs must end up processed at least once.
 */
@WeftRedis
class StreamConsumerKillTest {

  private static final int JOBS = 500;
  private static final String STREAM = "jobs";
  private static final String GROUP = "workers";
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Long enough that the survivor cannot claim the stuck entries before the test has listed them. */
  private static final String MIN_IDLE = "3000";

  private final List<Process> children = new ArrayList<>();
  private Weft weft;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
    redis.flushall();
  }

  @AfterEach
  void close() {
    children.forEach(Process::destroyForcibly);
    connection.close();
    client.shutdown();
    weft.close();
  }

  @Test
  void consumerKilledMidBatch_survivorClaimsItsPendingEntries_everyJobProcessed(
      RedisServer server) throws Exception {
    StreamProducer<StreamWorker.Job> jobs =
        weft.streamProducer(STREAM, StreamWorker.Job.class);
    for (int i = 1; i <= JOBS; i++) {
      jobs.add(new StreamWorker.Job(i));
    }
    Process doomed = child(server.url(), "doomed", "30");
    Process survivor = child(server.url(), "survivor");

    Await.until(WAIT, () -> "the doomed consumer processed 30 jobs and stopped inside the next",
        () -> redis.get(STREAM + ":stuck") != null);
    String stuck = redis.get(STREAM + ":stuck");
    doomed.destroyForcibly();
    assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).as("SIGKILL ends the JVM").isTrue();

    List<String> orphaned = redis.xpending(STREAM, Consumer.from(GROUP, "doomed"),
            Range.create("-", "+"), Limit.from(1_000)).stream()
        .map(PendingMessage::getId).toList();
    assertThat(orphaned).as("entries the killed consumer had read but not acknowledged")
        .contains(stuck);
    assertThat(survivor.isAlive()).isTrue();

    Await.until(WAIT, () -> "all " + JOBS + " jobs processed, got "
            + redis.scard(STREAM + ":processed"),
        () -> redis.scard(STREAM + ":processed") == JOBS);
    Set<String> expected =
        IntStream.rangeClosed(1, JOBS).mapToObj(Integer::toString).collect(Collectors.toSet());
    assertThat(redis.smembers(STREAM + ":processed")).isEqualTo(expected);
    assertThat(redis.smembers(STREAM + ":entries:survivor"))
        .as("the survivor processed what the killed consumer left pending")
        .containsAll(orphaned);
    Await.until(WAIT, () -> "nothing left pending in the group",
        () -> redis.xpending(STREAM, GROUP).getCount() == 0);
  }

  private Process child(String url, String consumer, String... stopAfter) throws IOException {
    List<String> args = new ArrayList<>(List.of(url, STREAM, GROUP, consumer, "10", MIN_IDLE));
    args.addAll(List.of(stopAfter));
    Process p = ChildJvm.start(StreamWorker.class,
        Paths.get("target", "stream-kill-test", consumer + ".log"), args.toArray(String[]::new));
    children.add(p);
    return p;
  }
}
