package dev.weft.outage;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Captures what slf4j-simple (the SLF4J provider of core's tests) prints while it is open, from
 * every thread, and still passes it on to the real {@code System.err}.
 *
 * <p>slf4j-simple writes to {@code System.err} by default and, unless told to cache the stream
 * ({@code org.slf4j.simpleLogger.cacheOutputStream}), looks {@code System.err} up at each line, so
 * replacing it captures Weft's and Lettuce's lines alike. Lines look like {@code [thread] WARN
 * dev.weft.internal.redis.RedisGateway - message}.
 */
public final class LogCapture implements AutoCloseable {

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private LogCapture() {
    OutputStream tee =
        new OutputStream() {
          @Override
          public synchronized void write(int b) {
            captured.write(b);
            original.write(b);
          }

          @Override
          public synchronized void write(byte[] b, int off, int len) {
            captured.write(b, off, len);
            original.write(b, off, len);
          }

          @Override
          public void flush() {
            original.flush();
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** @return a capture that runs until {@link #close()} */
  public static LogCapture start() {
    return new LogCapture();
  }

  /** @return the lines printed so far */
  public List<String> lines() {
    String text;
    synchronized (captured) {
      text = captured.toString(StandardCharsets.UTF_8);
    }
    return text.lines().toList();
  }

  /**
   * @param level such as {@code "WARN"}
   * @param loggerPrefix such as {@code "dev.weft."}
   * @return the log lines of that level from loggers whose name starts with the prefix
   */
  public List<String> lines(String level, String loggerPrefix) {
    Pattern p = Pattern.compile("\\b" + level + " " + Pattern.quote(loggerPrefix));
    return lines().stream().filter(l -> p.matcher(l).find()).toList();
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
