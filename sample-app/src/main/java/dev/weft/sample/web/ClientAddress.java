package dev.weft.sample.web;

import com.sun.net.httpserver.HttpExchange;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * The address a request is limited by. It is the connection's peer, except when the peer is on
 * this machine (a reverse proxy or load balancer beside the service, or the demo's load driver):
 * then the last address in {@code X-Forwarded-For}, the one that proxy saw, is used. A header
 * from any other peer is ignored, so a remote client cannot choose its own address.
 */
final class ClientAddress {

  private static final String FORWARDED_FOR = "X-Forwarded-For";
  private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private ClientAddress() {}

  /**
   * @param exchange the request
   * @return the client's address as text, never {@code null}
   */
  static String of(HttpExchange exchange) {
    InetAddress peer = exchange.getRemoteAddress().getAddress();
    String forwarded = exchange.getRequestHeaders().getFirst(FORWARDED_FOR);
    if (peer.isLoopbackAddress() && forwarded != null) {
      String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
      if (ADDRESS.matcher(last).matches()) {
        return last;
      }
    }
    return peer.getHostAddress();
  }
}
