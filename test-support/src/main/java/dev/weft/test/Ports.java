package dev.weft.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/*
 * Why ports are claimed and not just picked: a stopped server keeps its port for a later
 * restart, yet the operating system sees that port as free. Without a JVM-wide record, the next
 * server launched in the same JVM could be handed the port of a server that a test stopped a
 * moment ago, and the restart would fail. A port picked here stays claimed until the server or
 * cluster owning it is closed. Another process may still take a claimed port; callers retry
 * with a new port when the server then fails to bind.
 */
/** Picks free loopback ports and remembers which ones this JVM's servers own. */
final class Ports {

  /** The loopback address every local server binds to. */
  static final String LOOPBACK = "127.0.0.1";

  /** Redis Cluster's bus port is always the client port plus this offset. */
  static final int CLUSTER_BUS_OFFSET = 10000;

  private static final int MAX_TRIES = 200;
  private static final Set<Integer> CLAIMED = ConcurrentHashMap.newKeySet();

  private Ports() {}

  /**
   * Claims a port that is free on the loopback interface right now.
   *
   * @return the port, between 1 and 65535
   * @throws IllegalStateException if no free port was found after a bounded number of tries
   */
  static int claimFree() {
    for (int i = 0; i < MAX_TRIES; i++) {
      int port = ephemeralPort();
      if (CLAIMED.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port found in " + MAX_TRIES + " tries");
  }

  /**
   * Claims a port {@code p} such that both {@code p} and its cluster bus port {@code p + 10000} are
   * free; both are claimed.
   *
   * @return the client port {@code p}, at most 55535
   * @throws IllegalStateException if no such pair was found after a bounded number of tries
   */
  static int claimFreeWithBus() {
    for (int i = 0; i < MAX_TRIES; i++) {
      int port = ephemeralPort();
      int bus = port + CLUSTER_BUS_OFFSET;
      if (bus > 65535 || !isFree(bus) || !CLAIMED.add(port)) {
        continue;
      }
      if (CLAIMED.add(bus)) {
        return port;
      }
      CLAIMED.remove(port);
    }
    throw new IllegalStateException(
        "no free loopback port pair (p, p+10000) found in " + MAX_TRIES + " tries");
  }

  /**
   * Gives a claimed port back.
   *
   * @param port the port; releasing an unclaimed port does nothing
   */
  static void release(int port) {
    CLAIMED.remove(port);
  }

  private static int ephemeralPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a socket on " + LOOPBACK, e);
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
