package dev.weft.test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/*
 * Why SENTINEL FAILOVER rather than killing the master: a forced failover needs no quorum and no
 * down-after wait, so it starts at once and takes about a second, every time; killing the master
 * adds the failure detection (down-after-milliseconds, then the sentinels' vote) and makes the
 * test's duration depend on election timing. What the client sees is the same: its master is
 * demoted (Sentinel kills its normal clients when it reconfigures it) and another server is
 * promoted. killMaster() is there for tests that want the harder case.
 */
/**
 * A Redis Sentinel deployment of local processes: one master, one replica and three sentinels
 * monitoring them as {@value #MASTER_NAME}, each on a free loopback port, all stopped by {@link
 * #close()} (or, if a test forgets, at JVM exit).
 *
 * <p>The sentinels use short timeouts ({@code down-after-milliseconds} {@value #DOWN_AFTER_MS},
 * {@code failover-timeout} {@value #FAILOVER_TIMEOUT_MS}), so a failover completes within a few
 * seconds. Start-up takes about a second: it returns once the replica is in sync and every
 * sentinel knows it.
 *
 * <pre>{@code
 * try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
 *   Weft weft = Weft.builder().redisUrl(group.url()).build();   // redis-sentinel://...#mymaster
 *   int newMaster = group.failover();
 *   group.role(newMaster);                                     // "master"
 * }
 * }</pre>
 */
public final class RedisSentinelGroup implements AutoCloseable {

  /** The name the sentinels monitor the master under. */
  public static final String MASTER_NAME = "mymaster";

  static final int DOWN_AFTER_MS = 1000;
  static final int FAILOVER_TIMEOUT_MS = 3000;
  private static final int SENTINELS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(20);

  private final Path directory;
  private final Reaper.Registration directoryReaping;
  private final List<RedisProcess> servers = new ArrayList<>();
  private final List<RedisProcess> sentinels = new ArrayList<>();
  private boolean closed;

  private RedisSentinelGroup(Path directory, Reaper.Registration directoryReaping) {
    this.directory = directory;
    this.directoryReaping = directoryReaping;
  }

  /**
   * Starts the master, the replica and the sentinels, and waits until the deployment is ready.
   *
   * @return the running group, never {@code null}; the caller closes it
   * @throws RedisStartException if a process does not come up
   * @throws IllegalStateException if the replica does not sync or the sentinels do not see it in
   *     time
   */
  public static RedisSentinelGroup start() {
    RedisBinary binary = RedisBinary.locate(LaunchSettings.fromEnvironment());
    Path directory = TempDirs.create("weft-redis-sentinel-");
    RedisSentinelGroup group =
        new RedisSentinelGroup(directory, Reaper.atExit(() -> TempDirs.deleteQuietly(directory)));
    try {
      int master = group.startServer(binary, List.of());
      int replica = group.startServer(binary, List.of("replicaof " + Ports.LOOPBACK + " " + master));
      group.await(
          "the replica on " + replica + " to sync with the master on " + master,
          () -> "up".equals(RedisProcess.infoField(group.call(replica, "INFO", "replication"),
              "master_link_status")));
      for (int i = 0; i < SENTINELS; i++) {
        int port = Ports.claimFree();
        RedisProcess sentinel =
            new RedisProcess(
                binary.path(), directory, port,
                List.of(
                    "sentinel monitor " + MASTER_NAME + " " + Ports.LOOPBACK + " " + master + " 2",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MS,
                    "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MS,
                    "sentinel parallel-syncs " + MASTER_NAME + " 1"),
                List.of("--sentinel"), null);
        group.sentinels.add(sentinel);
        sentinel.start();
      }
      for (RedisProcess sentinel : group.sentinels) {
        group.await(
            "sentinel " + sentinel.port() + " to know the replica",
            () -> !((List<?>) sentinel.call("SENTINEL", "REPLICAS", MASTER_NAME)).isEmpty());
      }
      return group;
    } catch (RuntimeException | Error e) {
      group.close();
      throw e;
    }
  }

  private int startServer(RedisBinary binary, List<String> config) {
    int port = Ports.claimFree();
    RedisProcess server = new RedisProcess(binary.path(), directory, port, config);
    servers.add(server);
    server.start();
    return port;
  }

  /**
   * @return the Lettuce URL of the deployment through its sentinels: {@code
   *     redis-sentinel://127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>/0#mymaster}
   */
  public String url() {
    return "redis-sentinel://"
        + sentinels.stream()
            .map(s -> Ports.LOOPBACK + ":" + s.port())
            .collect(Collectors.joining(","))
        + "/0#" + MASTER_NAME;
  }

  /** @return the ports of the data servers (the first was started as the master) */
  public List<Integer> serverPorts() {
    return servers.stream().map(RedisProcess::port).toList();
  }

  /** @return the sentinels' ports */
  public List<Integer> sentinelPorts() {
    return sentinels.stream().map(RedisProcess::port).toList();
  }

  /** @return the port of the master, as the first sentinel that answers reports it */
  public int masterPort() {
    IllegalStateException failure = new IllegalStateException("no sentinel answers");
    for (RedisProcess sentinel : sentinels) {
      try {
        List<?> address =
            (List<?>) sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
        return Integer.parseInt(String.valueOf(address.get(1)));
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
    throw failure;
  }

  /**
   * @return the port of the data server that is not the master (the replica), as the sentinels
   *     see it
   */
  public int replicaPort() {
    int master = masterPort();
    return serverPorts().stream().filter(p -> p != master).findFirst().orElseThrow();
  }

  /**
   * @param port a data server's port
   * @return what the server says it is: {@code master} or {@code slave} (the first item of {@code
   *     ROLE})
   */
  public String role(int port) {
    return String.valueOf(((List<?>) call(port, "ROLE")).get(0));
  }

  /**
   * Forces a failover ({@code SENTINEL FAILOVER mymaster}) and waits until every sentinel names
   * the new master and that server says it is a master.
   *
   * @return the new master's port
   * @throws IllegalStateException if the failover does not complete within 20 s
   */
  public int failover() {
    int old = masterPort();
    await(
        "a sentinel to accept SENTINEL FAILOVER",
        () -> {
          try {
            sentinels.get(0).call("SENTINEL", "FAILOVER", MASTER_NAME);
            return true;
          } catch (Resp.ErrorReply e) {
            // NOGOODSLAVE until the sentinel has the replica's fresh INFO; INPROG is fine too
            return String.valueOf(e.getMessage()).startsWith("INPROG");
          }
        });
    return awaitNewMaster(old);
  }

  /**
   * Kills the master with SIGKILL, so that the sentinels must notice it is down and elect a
   * leader before they fail over (a few seconds). Waits first until the sentinels know each other
   * (up to about 2 s after start-up), since the failover needs their vote.
   *
   * @return the new master's port
   * @throws IllegalStateException if no new master is in place within 20 s
   */
  public int killMaster() {
    int old = masterPort();
    for (RedisProcess sentinel : sentinels) {
      // they find each other through the master's hello channel, every 2 s; a vote needs them
      await(
          "sentinel " + sentinel.port() + " to know the other sentinels",
          () -> ((List<?>) sentinel.call("SENTINEL", "SENTINELS", MASTER_NAME)).size()
              == SENTINELS - 1);
    }
    servers.stream().filter(s -> s.port() == old).findFirst().orElseThrow().kill();
    return awaitNewMaster(old);
  }

  private int awaitNewMaster(int old) {
    await(
        "the sentinels to name a master other than " + old,
        () -> {
          for (RedisProcess sentinel : sentinels) {
            List<?> address =
                (List<?>) sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
            if (Integer.parseInt(String.valueOf(address.get(1))) == old) {
              return false;
            }
          }
          return "master".equals(role(masterPort()));
        });
    return masterPort();
  }

  /**
   * Sends one command to a data server or a sentinel of this group.
   *
   * @param port the process's port
   * @param command the command and its arguments, not {@code null}
   * @return the reply, as {@link TlsRedisServer#call} describes
   * @throws IllegalStateException if the command fails or the server answers an error
   */
  public Object call(int port, String... command) {
    try {
      return Resp.callOnce(port, Duration.ofSeconds(5), command);
    } catch (IOException e) {
      throw new IllegalStateException(
          command[0] + " failed on port " + port + ": " + e.getMessage(), e);
    }
  }

  private void await(String what, Check check) {
    List<Exception> last = new ArrayList<>(1);
    boolean done =
        Poll.until(
            READY_TIMEOUT, POLL,
            () -> {
              try {
                return check.holds();
              } catch (IOException | RuntimeException e) {
                last.clear();
                last.add(e);
                return false;
              }
            });
    if (!done) {
      IllegalStateException failure =
          new IllegalStateException("Redis Sentinel: not within " + READY_TIMEOUT.toSeconds()
              + " s: " + what + " (logs in " + directory + ")");
      last.forEach(failure::addSuppressed);
      throw failure;
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean holds() throws IOException;
  }

  /** Stops the sentinels, then the servers, and deletes their files. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<RedisProcess> all = new ArrayList<>(sentinels);
    all.addAll(servers);
    try {
      for (RedisProcess process : all) {
        try {
          process.kill();
        } catch (RuntimeException ignored) {
          // a process that will not die is reaped at JVM exit
        }
        Ports.release(process.port());
      }
    } finally {
      TempDirs.deleteQuietly(directory);
      directoryReaping.cancel();
    }
  }

  @Override
  public String toString() {
    return "RedisSentinelGroup[" + url() + "]";
  }
}
