package dev.weft.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;

/*
 * Why a hand-written RESP2 client next to Lettuce: starting, probing, forming and stopping
 * servers takes a handful of commands against a server that may not be up yet. A plain socket
 * answers "refused" in microseconds and owns no threads, whereas each Lettuce client starts a
 * Netty event loop group that must be shut down again. Lettuce is still what tests and users
 * talk through; this class is only the launcher's control line. No AUTH: it only ever talks to
 * servers this module started on loopback, over plain TCP or, for a TLS-only server, through the
 * harness's own client certificate.
 */
/** A minimal, blocking RESP2 connection for control commands (PING, INFO, CLUSTER, SHUTDOWN). */
final class Resp implements Closeable {

  /** An error reply ({@code -ERR ...}) from the server. */
  static final class ErrorReply extends IOException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private Resp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to a server.
   *
   * @param host the host, not {@code null}
   * @param port the port
   * @param timeout the bound for connecting and for each reply, not {@code null}
   * @return the open connection, never {@code null}
   * @throws IOException if the connection fails, for example because nothing listens
   */
  static Resp open(String host, int port, Duration timeout) throws IOException {
    return open(host, port, timeout, SocketFactory.getDefault());
  }

  /**
   * Connects to a server through {@code sockets}, for servers that only speak TLS.
   *
   * @param host the host, not {@code null}
   * @param port the port
   * @param timeout the bound for connecting, the TLS handshake and each reply, not {@code null}
   * @param sockets makes the unconnected socket, not {@code null}
   * @return the open connection, never {@code null}
   * @throws IOException if the connection fails
   */
  static Resp open(String host, int port, Duration timeout, SocketFactory sockets)
      throws IOException {
    Socket socket = sockets.createSocket();
    try {
      int millis = (int) Math.max(1, timeout.toMillis());
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      socket.setTcpNoDelay(true);
      return new Resp(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Empties a server, for the test harness between tests.
   *
   * @param host the server's host
   * @param port the server's port
   * @param timeout how long the connection and the command may take
   * @param url the server's URL, for the message
   * @throws IllegalStateException if FLUSHALL fails
   */
  static void flushAll(String host, int port, Duration timeout, String url) {
    try (Resp resp = open(host, port, timeout)) {
      resp.call("FLUSHALL");
    } catch (IOException e) {
      throw new IllegalStateException("FLUSHALL failed on " + url + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sends one command on a new connection and returns its reply.
   *
   * @param port the port on 127.0.0.1
   * @param timeout the bound for connecting and for the reply, not {@code null}
   * @param command the command and its arguments, not {@code null}
   * @return the reply, as described in {@link #call(String...)}
   * @throws IOException if the connection fails or the server replies with an error
   */
  static Object callOnce(int port, Duration timeout, String... command) throws IOException {
    try (Resp resp = open(Ports.LOOPBACK, port, timeout)) {
      return resp.call(command);
    }
  }

  /**
   * Sends one command and reads its reply.
   *
   * @param command the command and its arguments, not {@code null}
   * @return a {@link String} for simple and bulk strings, a {@link Long} for integers, a {@link
   *     List} for arrays, or {@code null} for a null reply
   * @throws ErrorReply if the server answers with an error
   * @throws IOException if the connection fails or times out
   */
  Object call(String... command) throws IOException {
    send(command);
    return read();
  }

  /**
   * Sends one command without waiting for a reply, for commands after which the server closes the
   * connection (SHUTDOWN).
   *
   * @param command the command and its arguments, not {@code null}
   * @throws IOException if the connection fails
   */
  void send(String... command) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    buffer.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String argument : command) {
      byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
      buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buffer.writeBytes(bytes);
      buffer.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(buffer.toByteArray());
    out.flush();
  }

  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by the server");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new ErrorReply(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length);
        readLine();
        return new String(bytes, StandardCharsets.UTF_8);
      case '*':
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        return items;
      default:
        throw new IOException("unexpected RESP type byte " + type);
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the middle of a reply");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(b);
      previous = b;
    }
  }

  /** Closes the socket; never throws. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a control connection cannot fail in a way anyone could act on
    }
  }
}
