package dev.weft.sample.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;

/** One HTTP request as a handler sees it: path parameters, query, headers, a bounded body. */
public final class Request {

  /** The largest body read, in bytes; a larger one is refused with 413. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private final HttpExchange exchange;
  private final Matcher path;
  private final String client;

  Request(HttpExchange exchange, Matcher path, String client) {
    this.exchange = exchange;
    this.path = path;
    this.client = client;
  }

  /**
   * @param name a named group of the route's pattern
   * @return its value in this request's path, decoded
   */
  public String param(String name) {
    return path.group(name);
  }

  /**
   * @param name a query parameter
   * @return its first value, decoded, or empty if absent
   */
  public Optional<String> query(String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (key.equals(name)) {
        return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return Optional.empty();
  }

  /**
   * @param name a header's name, in any case
   * @return its first value, or empty if absent
   */
  public Optional<String> header(String name) {
    return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
  }

  /**
   * @param name a cookie's name
   * @return its value in the {@code Cookie} header, or empty if absent
   */
  public Optional<String> cookie(String name) {
    for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
          return Optional.of(pair.substring(eq + 1).trim());
        }
      }
    }
    return Optional.empty();
  }

  /** @return the address the client is limited by, see {@link ClientAddress} */
  public String client() {
    return client;
  }

  /**
   * @return the body, at most {@value #MAX_BODY_BYTES} bytes
   * @throws ApiException 413 if the body is larger, 415 if it is declared as something other than
   *     JSON
   */
  public byte[] body() {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(415, "send the body as application/json, not " + type);
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new ApiException(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    } catch (IOException e) {
      throw new ApiException(400, "the request body could not be read: " + e.getMessage());
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
