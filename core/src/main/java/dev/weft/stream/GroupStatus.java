package dev.weft.stream;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where a consumer group stands on a stream, as Redis reports it ({@code XINFO GROUPS}): what an
 * operator or an alert wants to know of a consumer that may be falling behind or stuck.
 *
 * @param group the group's name, never {@code null}
 * @param consumers how many consumers the group has (consumers of stopped processes stay until
 *     removed)
 * @param pending entries delivered to a consumer and not acknowledged yet: being processed, or
 *     waiting to be reclaimed after a failure or a crash
 * @param lastDeliveredId the id of the last entry delivered to the group, never {@code null}
 * @param lag entries added to the stream and not yet delivered to the group; reported by Redis
 *     7.0 and later, empty before (and when Redis cannot tell, after entries were deleted)
 */
public record GroupStatus(
    String group, long consumers, long pending, String lastDeliveredId, OptionalLong lag) {

  /** @throws NullPointerException if {@code group}, {@code lastDeliveredId} or {@code lag} is null */
  public GroupStatus {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(lastDeliveredId, "lastDeliveredId");
    Objects.requireNonNull(lag, "lag");
  }
}
