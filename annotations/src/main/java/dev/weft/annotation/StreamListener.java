package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that processes the entries of a Redis stream as a member of a consumer group:
 * each entry is handed to one consumer of the group, and acknowledged only after the method
 * returns normally. The method takes the entry's message, read from JSON as its declared
 * (possibly generic) parameter type, and optionally the entry's id as a second {@code String}
 * parameter:
 *
 * <pre>{@code
 * @StreamListener(stream = "orders", group = "billing", minIdle = "30s", maxDeliveries = 5)
 * void bill(Order order) { ... }             // throws: retried after 30 s, dead-lettered after 5
 *
 * @StreamListener(stream = "orders", group = "shipping")
 * void ship(Order order, String entryId) { ... }
 * }</pre>
 *
 * <p>Nothing is woven: the methods of objects handed to {@code dev.weft.stream.StreamConsumers}
 * are found by reflection when the object is registered, and each runs in its own consumer loop
 * until the container is closed. Delivery is at least once: an entry whose method threw, or whose
 * consumer died, is delivered again (to any consumer of the group) once it has been pending for
 * {@link #minIdle()}; after {@link #maxDeliveries()} deliveries it is moved to the dead-letter
 * stream {@code <stream>:dead}. Methods should therefore be idempotent.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StreamListener {

  /**
   * The stream's key, such as {@code "orders"}, used as it is (no prefix).
   *
   * @return the stream key, never {@code null} or empty
   */
  String stream();

  /**
   * The consumer group, such as {@code "billing"}; created (at the start of the stream) when
   * absent. Every process whose listener names the same stream and group shares the work.
   *
   * @return the group name, never {@code null} or empty
   */
  String group();

  /**
   * This consumer's name within the group. Empty (the default) for a name unique to this loop
   * ({@code <host>-<pid>-<random>}); a fixed name lets a restarted process resume the entries it
   * held before it stopped, but two live processes must never share one.
   *
   * @return the consumer name, never {@code null}
   */
  String consumer() default "";

  /**
   * How long an entry stays pending (delivered, not acknowledged) before any consumer of the
   * group claims it again: longer than the method ever takes. A duration string ({@code "30s"},
   * {@code "5m"}, ISO {@code "PT30S"}).
   *
   * @return the idle time, never {@code null}
   */
  String minIdle() default "30s";

  /**
   * After this many deliveries an entry whose method throws (or whose consumer keeps dying) is
   * moved to the dead-letter stream {@code <stream>:dead} with the error, and acknowledged. 0 for
   * never.
   *
   * @return the most deliveries, 0 or more
   */
  int maxDeliveries() default 5;

  /**
   * How many entries one read fetches, at least 1.
   *
   * @return the batch size
   */
  int batch() default 10;

  /**
   * The name of the runtime this listener belongs to, as given to {@code
   * Weft.builder().name(...)}, such as {@code "billing"}: 1 to 64 letters, digits, {@code .},
   * {@code _} or {@code -}. Registering the listener with a runtime of another name, or an
   * unnamed one, is an error, so that it cannot listen on the wrong Redis by mistake. Empty (the
   * default): whichever runtime the listener is registered with.
   *
   * @return the runtime's name, or empty for any; never {@code null}
   */
  String runtime() default "";
}
