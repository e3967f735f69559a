package example.shapes;

import dev.weft.annotation.Cached;
import dev.weft.annotation.Invalidate;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Method bodies whose bytecode the agent's weaving must keep intact: wide and narrow primitives,
 * a handler of the body's own, a loop at the very first instruction, several returns, a lambda,
 * a switch, a checked exception, {@code synchronized}. {@code ClassWeaverTest} weaves this class
 * and runs it; every method counts the times its body runs in {@link #calls}.
 */
public class Shapes {

  public static final AtomicInteger calls = new AtomicInteger();

  @Cached(key = "shapes:wide:{a}:{b}:{c}:{d}:{e}:{f}:{g}:{h}", ttl = "1m")
  public long wide(long a, double b, int c, String d, boolean e, char f, short g, byte h) {
    calls.incrementAndGet();
    return a + (long) b + c + d.length() + (e ? 1 : 0) + f + g + h;
  }

  @Cached(key = "shapes:static:{a}:{b}", ttl = "1m")
  public static double staticWide(double a, long b) {
    calls.incrementAndGet();
    return a * b;
  }

  /** Catches its own exception: the body's handler must see it before the woven one. */
  @Cached(key = "shapes:guarded:{id}", ttl = "1m")
  public String guarded(String id) {
    calls.incrementAndGet();
    try {
      if (id.startsWith("x")) {
        throw new IllegalStateException("inner");
      }
      return "ok:" + id;
    } catch (IllegalStateException e) {
      return "caught:" + id;
    }
  }

  /** The loop's condition is the first instruction, a jump target with a frame of its own. */
  @Cached(key = "shapes:loop:{n}", ttl = "1m")
  public int loop(int n) {
    while (n > 10) {
      n -= 10;
      calls.incrementAndGet();
    }
    return n;
  }

  @Cached(key = "shapes:switch:{n}", ttl = "1m")
  public char pick(int n) {
    calls.incrementAndGet();
    switch (n) {
      case 0:
        return 'a';
      case 1:
        return 'b';
      case 7:
        return 'h';
      default:
        return '?';
    }
  }

  @Cached(key = "shapes:lambda:{id}", ttl = "1m")
  public String lambda(String id) {
    calls.incrementAndGet();
    Supplier<String> s = () -> "λ" + id;
    return s.get();
  }

  @Cached(key = "shapes:flag:{id}", ttl = "1m")
  public synchronized boolean flag(String id) {
    calls.incrementAndGet();
    return id.length() % 2 == 0;
  }

  @Cached(key = "shapes:failing:{id}", ttl = "1m")
  public String failing(String id) throws IOException {
    calls.incrementAndGet();
    throw new IOException("source down for " + id);
  }

  /** A void method with an early return. */
  @Invalidate(keys = "shapes:guarded:{id}")
  public void forget(String id) {
    calls.incrementAndGet();
    if (id.isEmpty()) {
      return;
    }
    calls.incrementAndGet();
  }
}
