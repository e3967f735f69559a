package dev.weft.sample.web;

import java.util.regex.Pattern;

/**
 * One endpoint: a method, a path pattern with named groups, and what answers it.
 *
 * @param method the HTTP method, such as {@code GET}
 * @param path the whole path, as a regular expression with named groups for parameters
 * @param name the route as people read it, such as {@code /products/{sku}}, for metrics
 * @param limited whether requests count against the per-address rate limit
 * @param handler what answers
 */
public record Route(String method, Pattern path, String name, boolean limited, Handler handler) {

  /**
   * A route of the shop's API, counted against the per-address rate limit.
   *
   * @param method the HTTP method
   * @param name the route, {@code {param}} standing for one path segment
   * @param handler what answers
   * @return the route
   */
  public static Route api(String method, String name, Handler handler) {
    return new Route(method, pattern(name), name, true, handler);
  }

  /**
   * An operations route ({@code /health}, {@code /metrics}), never rate-limited.
   *
   * @param method the HTTP method
   * @param name the path
   * @param handler what answers
   * @return the route
   */
  public static Route ops(String method, String name, Handler handler) {
    return new Route(method, pattern(name), name, false, handler);
  }

  private static Pattern pattern(String name) {
    return Pattern.compile(name.replaceAll("\\{(\\w+)}", "(?<$1>[^/]+)"));
  }

  /** Answers a request. */
  @FunctionalInterface
  public interface Handler {
    /**
     * @param request the request
     * @return the response, never {@code null}
     */
    Response handle(Request request);
  }
}
