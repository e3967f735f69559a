package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that receives the messages published on a Redis pub/sub channel, or on every
 * channel matching a glob pattern. Set exactly one of {@link #channel()} and {@link #pattern()}.
 * The method takes the message, read from JSON as its declared (possibly generic) parameter type,
 * and optionally the channel's name as a second {@code String} parameter:
 *
 * <pre>{@code
 * @Subscribe(channel = "prices")
 * void onPrice(Price price) { ... }
 *
 * @Subscribe(pattern = "orders.*")
 * void onOrder(Order order, String channel) { ... }   // channel: "orders.eu", "orders.us", ...
 * }</pre>
 *
 * <p>Nothing is woven: the methods of objects handed to {@code dev.weft.pubsub.Subscriber} are
 * found by reflection when the object is registered, and called from the subscriber's dispatch
 * thread until the subscriber is closed. Pub/sub delivers at most once: a message published while
 * a subscriber is disconnected is not delivered to it. For work that must not be lost, use a
 * stream ({@link StreamListener}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Subscribe {

  /**
   * The channel's exact name, such as {@code "prices"}. Empty (the default) when {@link
   * #pattern()} is set.
   *
   * @return the channel, never {@code null}
   */
  String channel() default "";

  /**
   * A glob pattern in Redis's {@code PSUBSCRIBE} syntax ({@code *}, {@code ?}, {@code [abc]}),
   * such as {@code "orders.*"}. Empty (the default) when {@link #channel()} is set.
   *
   * @return the pattern, never {@code null}
   */
  String pattern() default "";

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
