package dev.weft.sample.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, headers and a body. Mutable only while the request is being
 * handled, on one thread.
 */
public final class Response {

  private static final String JSON = "application/json";

  private final int status;
  private final String contentType;
  private final byte[] body;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private Response(int status, String contentType, byte[] body) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
  }

  /**
   * @param status the HTTP status
   * @param value what to send as JSON, not {@code null}
   * @return the response
   */
  public static Response json(int status, Object value) {
    return new Response(status, JSON, Json.write(value));
  }

  /**
   * @param status the HTTP status
   * @param contentType the body's media type
   * @param text the body
   * @return the response
   */
  public static Response text(int status, String contentType, String text) {
    return new Response(status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A JSON error: {@code {"status": 404, "error": "Not Found", "message": "..."}}.
   *
   * @param status the HTTP status
   * @param message what went wrong, for the client to read
   * @return the response
   */
  public static Response error(int status, String message) {
    return json(status, new ErrorBody(status, reason(status), message));
  }

  /**
   * Sets a header, replacing a value set before.
   *
   * @param name the header's name
   * @param value its value
   * @return this response
   */
  public Response header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /**
   * Sets headers, replacing values set before.
   *
   * @param values the headers
   * @return this response
   */
  public Response headers(Map<String, String> values) {
    headers.putAll(values);
    return this;
  }

  int status() {
    return status;
  }

  String contentType() {
    return contentType;
  }

  byte[] body() {
    return body;
  }

  Map<String, String> headers() {
    return headers;
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Payload Too Large";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }

  /**
   * The body of every error.
   *
   * @param status the HTTP status
   * @param error its reason phrase
   * @param message what went wrong
   */
  record ErrorBody(int status, String error, String message) {}
}
