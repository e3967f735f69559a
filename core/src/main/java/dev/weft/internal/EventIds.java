package dev.weft.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Event ids that make an increment happen once per event: a consumer that is delivered an event
 * again (at-least-once delivery: a stream entry reclaimed after a crash, a queue item after its
 * lease ran out) passes the event's id, and the script that adds also records the id, under the
 * structure's hash tag, with {@code SET NX}; a second write with the same id finds it and adds
 * nothing. The record expires after {@link #WINDOW}, far longer than any redelivery takes.
 */
public final class EventIds {

  /** How long an event id is remembered: redeliveries within it add nothing. */
  public static final Duration WINDOW = Duration.ofDays(1);

  /** The longest event id accepted, in characters. */
  public static final int MAX_LENGTH = 200;

  private EventIds() {}

  /**
   * @param eventId an event's id, such as a stream entry's id
   * @return {@code eventId}
   * @throws NullPointerException if it is {@code null}
   * @throws IllegalArgumentException if it is empty or longer than {@value #MAX_LENGTH}
   */
  public static String check(String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    if (eventId.isEmpty() || eventId.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("an event id must have 1 to " + MAX_LENGTH
          + " characters, such as a stream entry's id; was " + eventId.length());
    }
    return eventId;
  }
}
