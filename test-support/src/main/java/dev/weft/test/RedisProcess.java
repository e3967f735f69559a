package dev.weft.test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/*
 * One redis-server child process on a fixed loopback port, restartable.
 *
 * The server reads a config file written into its directory (no persistence, loopback only,
 * logging to stdout) and its output is appended to a log file next to it. Start-up is complete
 * when the port answers PING *and* INFO reports our own process id: a PONG alone could come from
 * a stranger that grabbed the port while our process was failing to bind it.
 */
/** A {@code redis-server} process this module owns: start, graceful stop, SIGKILL, restart. */
final class RedisProcess {

  static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(10);
  private static final int LOG_EXCERPT_CHARS = 4000;

  private final Path binary;
  private final int port;
  private final Path directory;
  private final Path configFile;
  private final Path logFile;
  private final List<String> config;
  private final List<String> arguments;
  private final SocketFactory control;

  private Process process;
  private Reaper.Registration reaping;

  /**
   * Describes a process; nothing starts until {@link #start()}.
   *
   * @param binary the {@code redis-server} executable, not {@code null}
   * @param directory where config, log and any server files go, not {@code null}
   * @param port the port on 127.0.0.1
   * @param extraConfig config lines appended to the defaults, not {@code null}
   */
  RedisProcess(Path binary, Path directory, int port, List<String> extraConfig) {
    this(binary, directory, port, extraConfig, List.of(), null);
  }

  /**
   * Describes a process with extra command-line arguments, optionally speaking only TLS.
   *
   * @param binary the {@code redis-server} executable, not {@code null}
   * @param directory where config, log and any server files go, not {@code null}
   * @param port the port on 127.0.0.1; the TLS port if {@code tls} is given
   * @param extraConfig config lines appended to the defaults (for TLS: the certificate files and
   *     {@code tls-auth-clients}), not {@code null}
   * @param arguments arguments after the config file, such as {@code --sentinel}, not {@code null}
   * @param tls {@code null} for plain TCP; else the plain port is closed ({@code port 0}), {@code
   *     port} is the TLS port, and the launcher's probes and SHUTDOWN go through these sockets
   */
  RedisProcess(
      Path binary, Path directory, int port, List<String> extraConfig, List<String> arguments,
      SSLSocketFactory tls) {
    this.binary = binary;
    this.directory = directory;
    this.port = port;
    this.arguments = List.copyOf(arguments);
    this.control = tls != null ? tls : SocketFactory.getDefault();
    this.configFile = directory.resolve("redis-" + port + ".conf");
    this.logFile = directory.resolve("redis-" + port + ".log");
    this.config = new ArrayList<>();
    if (tls != null) {
      config.add("port 0");
      config.add("tls-port " + port);
    } else {
      config.add("port " + port);
    }
    config.add("bind " + Ports.LOOPBACK);
    config.add("daemonize no");
    config.add("save \"\"");
    config.add("appendonly no");
    /* Redis config strings treat a backslash as an escape; forward slashes work on Windows too. */
    config.add("dir \"" + directory.toAbsolutePath().toString().replace('\\', '/') + "\"");
    config.add("dbfilename dump-" + port + ".rdb");
    config.add("logfile \"\"");
    config.addAll(extraConfig);
  }

  /**
   * @return the port on 127.0.0.1
   */
  int port() {
    return port;
  }

  /**
   * @return the log file the server's output is appended to, never {@code null}
   */
  Path logFile() {
    return logFile;
  }

  /**
   * Starts the process unless it is running, and waits until it answers.
   *
   * @throws RedisStartException if it does not answer within {@link #START_TIMEOUT}; the process is
   *     then killed and the message holds its log output
   */
  synchronized void start() {
    if (isRunning()) {
      return;
    }
    long logOffset;
    try {
      Files.write(configFile, config, StandardCharsets.UTF_8);
      logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Redis config in " + directory, e);
    }
    Process started = launch();
    process = started;
    reaping = Reaper.atExit(started::destroyForcibly);
    boolean answered =
        Poll.until(START_TIMEOUT, POLL_INTERVAL, () -> !started.isAlive() || answers(started));
    if (!answered || !started.isAlive()) {
      boolean exited = !started.isAlive();
      kill();
      String log = readLog(logOffset);
      String why =
          exited
              ? "exited with code " + started.exitValue()
              : "did not answer PING within " + START_TIMEOUT.toSeconds() + " s";
      throw new RedisStartException(
          "redis-server "
              + binary
              + " on port "
              + port
              + " "
              + why
              + "; its log ("
              + logFile
              + "):\n"
              + log,
          log.contains("Address already in use"));
    }
  }

  /**
   * Stops the server gracefully (SHUTDOWN NOSAVE), falling back to SIGTERM and then SIGKILL if it
   * does not exit in time. Does nothing if it is not running.
   */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    if (process.isAlive()) {
      try (Resp resp = Resp.open(Ports.LOOPBACK, port, PROBE_TIMEOUT, control)) {
        resp.send("SHUTDOWN", "NOSAVE");
      } catch (IOException e) {
        process.destroy();
      }
      if (!awaitExit(process, STOP_TIMEOUT)) {
        process.destroy();
        if (!awaitExit(process, STOP_TIMEOUT)) {
          process.destroyForcibly();
          awaitExit(process, STOP_TIMEOUT);
        }
      }
    }
    forget();
  }

  /** Kills the server with SIGKILL (as {@code kill -9}) and waits until it is gone. */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    if (!awaitExit(process, STOP_TIMEOUT)) {
      throw new IllegalStateException(
          "redis-server pid " + process.pid() + " survived SIGKILL for " + STOP_TIMEOUT);
    }
    forget();
  }

  /**
   * Sends one command on a new control connection (TLS if the process speaks only TLS).
   *
   * @param command the command and its arguments, not {@code null}
   * @return the reply, as {@link Resp#call} returns it
   * @throws IOException if the connection fails or the server answers an error
   */
  Object call(String... command) throws IOException {
    try (Resp resp = Resp.open(Ports.LOOPBACK, port, STOP_TIMEOUT, control)) {
      return resp.call(command);
    }
  }

  /**
   * @return whether the process is alive
   */
  synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  private void forget() {
    process = null;
    if (reaping != null) {
      reaping.cancel();
      reaping = null;
    }
  }

  private Process launch() {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add(configFile.toString());
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    IOException failure = null;
    /*
     * "Text file busy" (ETXTBSY): another thread of this JVM may fork a child at the very moment
     * the binary was being extracted, and the child briefly inherits the write handle. It passes
     * within milliseconds, so a few retries are enough.
     */
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        Process started = builder.start();
        started.getOutputStream().close();
        return started;
      } catch (IOException e) {
        failure = e;
        if (!String.valueOf(e.getMessage()).contains("busy")) {
          break;
        }
        Poll.pause(Duration.ofMillis(50));
      }
    }
    throw new UncheckedIOException("cannot execute " + binary, failure);
  }

  private boolean answers(Process started) {
    try (Resp resp = Resp.open(Ports.LOOPBACK, port, PROBE_TIMEOUT, control)) {
      if (!"PONG".equals(resp.call("PING"))) {
        return false;
      }
      long pid = Long.parseLong(infoField(resp.call("INFO", "server"), "process_id"));
      return pid == started.pid() || started.descendants().anyMatch(p -> p.pid() == pid);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Reads one field of an INFO reply.
   *
   * @param info the INFO reply, a {@link String}
   * @param field the field name, not {@code null}
   * @return the field's value, never {@code null}
   * @throws IllegalArgumentException if the field is absent
   */
  static String infoField(Object info, String field) {
    for (String line : String.valueOf(info).split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    throw new IllegalArgumentException("INFO has no field " + field);
  }

  private String readLog(long offset) {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long start = Math.max(offset, file.length() - LOG_EXCERPT_CHARS);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "(empty)" : text;
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static boolean awaitExit(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
