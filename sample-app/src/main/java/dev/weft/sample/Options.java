package dev.weft.sample;

import dev.weft.sample.shop.Database;
import java.time.Duration;
import java.util.Locale;

/**
 * The command line: {@code [demo|serve] [--seconds N] [--warmup N] [--clients N] [--port N]
 * [--db-latency D]}.
 *
 * @param mode {@code demo} or {@code serve}
 * @param seconds how long the demo's measured load runs
 * @param warmUpSeconds how long the demo's clients run before, unmeasured
 * @param clients how many clients the demo runs at once
 * @param port the port {@code serve} listens on
 * @param databaseLatency the extra latency of every database statement
 */
record Options(
    String mode, int seconds, int warmUpSeconds, int clients, int port, Duration databaseLatency) {

  static final String USAGE =
      """
      Usage: SampleApp [demo | serve | help] [options]
        demo    start the service (2 instances), drive it over HTTP with concurrent clients,
                and print a report of what Weft did (the default)
                  --seconds N       how long the measured load runs (default 10)
                  --warmup N        seconds of load before, not measured (default 2; 0 for none)
                  --clients N       clients sending at once, at least 3 (default 8)
        serve   run one instance until stopped (Ctrl-C)
                  --port N          port on 127.0.0.1 (default 8080)
        both      --db-latency D    extra latency per database statement, standing for the
                                    network hop to a database server (default 2ms; 0ms for none)
      Redis: WEFT_REDIS_URL (or REDIS_URL, or -Dweft.redis.url) if set; else one is started.""";

  /**
   * @param args the command line
   * @return the options
   * @throws IllegalArgumentException if an argument is unknown or a value is invalid; the message
   *     says which
   */
  static Options parse(String[] args) {
    String mode = "demo";
    int seconds = 10;
    int warmUp = 2;
    int clients = 8;
    int port = 8080;
    Duration latency = Duration.ofMillis(Database.DEFAULT_LATENCY_MILLIS);
    int i = 0;
    if (args.length > 0 && !args[0].startsWith("--")) {
      mode = args[i++];
      if (!mode.equals("demo") && !mode.equals("serve")) {
        throw new IllegalArgumentException("unknown mode '" + mode + "': use demo or serve");
      }
    }
    for (; i < args.length; i++) {
      String name = args[i];
      String value;
      int eq = name.indexOf('=');
      if (eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(name + " needs a value");
      }
      switch (name) {
        case "--seconds" -> seconds = positive(name, value);
        case "--warmup" -> warmUp = notNegative(name, value);
        case "--clients" -> clients = positive(name, value);
        case "--port" -> port = positive(name, value);
        case "--db-latency" -> latency = duration(name, value);
        default -> throw new IllegalArgumentException("unknown option '" + name + "'");
      }
    }
    if (clients < 3) {
      throw new IllegalArgumentException("--clients must be at least 3, got " + clients);
    }
    return new Options(mode, seconds, warmUp, clients, port, latency);
  }

  private static int positive(String name, String value) {
    int n = notNegative(name, value);
    if (n == 0) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
    return n;
  }

  private static int notNegative(String name, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a whole number, 0 or more, got '" + value + "'");
  }

  private static Duration duration(String name, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a duration such as 2ms or 0ms, got '" + value + "'");
  }
}
