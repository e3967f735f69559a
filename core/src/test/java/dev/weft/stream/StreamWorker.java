package dev.weft.stream;

import dev.weft.Weft;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The main class of a child JVM in {@link StreamConsumerKillTest}: one consumer of a group that
 * records, after processing and before its acknowledgement, each job id in the set {@code
 * <stream>:processed} and each entry id in {@code <stream>:entries:<consumer>}.
 *
 * <p>Arguments: Redis URL, stream, group, consumer name, milliseconds per job, minIdle in ms, and
 * optionally a number of jobs after which the consumer stops inside its next job, unacknowledged,
 * records that entry's id in {@code <stream>:stuck} and waits to be killed.
 */
public final class StreamWorker {

  /** A unit of work. */
  public record Job(int id) {}

  private StreamWorker() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String stream = args[1];
    String group = args[2];
    String consumer = args[3];
    long millis = Long.parseLong(args[4]);
    Duration minIdle = Duration.ofMillis(Long.parseLong(args[5]));
    int stopAfter = args.length > 6 ? Integer.parseInt(args[6]) : Integer.MAX_VALUE;
    AtomicInteger done = new AtomicInteger();
    RedisClient client = RedisClient.create(url);
    RedisCommands<String, String> redis = client.connect().sync();
    Weft weft = Weft.builder().redisUrl(url).build();
    StreamConsumers consumers = weft.streamConsumers();
    consumers.listen(stream, group, Job.class,
        ConsumerOptions.defaults().consumer(consumer).minIdle(minIdle).batch(10),
        (job, entryId) -> {
          if (done.get() >= stopAfter) {
            redis.set(stream + ":stuck", entryId);
            Thread.currentThread().join(); // until killed, this entry unacknowledged
          }
          Thread.sleep(millis);
          redis.sadd(stream + ":processed", Integer.toString(job.id()));
          redis.sadd(stream + ":entries:" + consumer, entryId);
          done.incrementAndGet();
        });
    System.out.println("READY " + consumer);
    Thread.currentThread().join(); // until killed
  }
}
