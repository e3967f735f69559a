package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The first connect has a bound of its own, the connect timeout: calls that arrive while it is
 * under way wait for it rather than fail as an outage, even when it takes longer than a command
 * may; only a first connect that fails or outlasts its bound lets calls fail.
 */
@WeftRedis
class RedisGatewayFirstConnectTest {

  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(200);

  private final RedisConnections connections = new RedisConnections();
  private RedisGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
    connections.close();
  }

  @Test
  void callsDuringASlowFirstConnect_waitForIt_andTheBreakerStaysClosed(RedisServer server)
      throws Exception {
    try (SlowProxy proxy = new SlowProxy(server.url(), 700)) {
      gateway = new RedisGateway(connections, proxy.url(), COMMAND_TIMEOUT, Duration.ofSeconds(5));
      gateway.start();

      ExecutorService callers = Executors.newFixedThreadPool(8);
      try {
        List<Future<String>> replies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          replies.add(callers.submit(() -> gateway.execute(c -> c.ping())));
        }
        for (Future<String> reply : replies) {
          assertThat(reply.get()).isEqualTo("PONG");
        }
      } finally {
        callers.shutdownNow();
      }
      assertThat(gateway.state()).isEqualTo(RedisGateway.State.CLOSED);
    }
  }

  @Test
  void firstConnectPastItsBound_callFailsAsAnOutage_afterTheBound() throws Exception {
    // Accepts TCP connections (the kernel does) and never answers the handshake.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Duration connectTimeout = Duration.ofMillis(500);
      gateway = new RedisGateway(connections, "redis://127.0.0.1:" + silent.getLocalPort(),
          COMMAND_TIMEOUT, connectTimeout);
      gateway.start();

      long start = System.nanoTime();
      assertThatThrownBy(() -> gateway.execute(c -> c.ping()))
          .isInstanceOf(RedisUnavailableException.class);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("waited for the first connect's bound")
          .isGreaterThanOrEqualTo(connectTimeout.minusMillis(100));
      assertThat(took).as("then at most one command timeout more")
          .isLessThan(connectTimeout.plus(COMMAND_TIMEOUT).plusSeconds(1));
    }
  }

  /** Forwards TCP connections to a server, each only after a delay: a slow handshake. */
  private static final class SlowProxy implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> open = new ArrayList<>();
    private final Thread acceptor;

    SlowProxy(String target, long delayMillis) throws IOException {
      URI uri = URI.create(target);
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket client = socket.accept();
            Thread.sleep(delayMillis);
            Socket upstream = new Socket(uri.getHost(), uri.getPort());
            synchronized (open) {
              open.add(client);
              open.add(upstream);
            }
            pump(client, upstream);
            pump(upstream, client);
          }
        } catch (IOException | InterruptedException e) {
          // closed
        }
      }, "slow-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "redis://127.0.0.1:" + socket.getLocalPort();
    }

    private static void pump(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        try {
          InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream();
          in.transferTo(out);
        } catch (IOException e) {
          // closed
        }
      }, "slow-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      acceptor.interrupt();
      socket.close();
      synchronized (open) {
        for (Socket s : open) {
          s.close();
        }
      }
    }
  }
}
