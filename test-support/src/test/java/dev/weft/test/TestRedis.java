package dev.weft.test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.stream.Collectors;

/** Small helpers shared by this module's tests. */
final class TestRedis {

  private TestRedis() {}

  /**
   * @return settings that never use Docker or an external server, so a test gets a process it can
   *     kill; the PATH and the override are honoured as in real runs
   */
  static LaunchSettings localProcessesOnly() {
    LaunchSettings real = LaunchSettings.fromEnvironment();
    return new LaunchSettings(null, real.serverOverride(), real.searchPath(), () -> false);
  }

  /**
   * @return whether a TCP connection to the port is refused right now
   */
  static boolean refusesConnections(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException other) {
      return false;
    }
  }

  /**
   * @return the process ids of this JVM's live child processes
   */
  static Set<Long> childPids() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  /**
   * @return whether a process with this id is alive
   */
  static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
