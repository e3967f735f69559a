package dev.weft.leaderboard;

import dev.weft.Weft;
import dev.weft.internal.EventIds;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.redis.HashTags;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.Script;
import io.lettuce.core.ScoredValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A leaderboard in Redis, shared by every process that uses the same Redis and name: members with
 * scores, ranked best (highest score) first.
 *
 * <pre>{@code
 * Leaderboard weekly = weft.leaderboard("weekly",
 *     LeaderboardOptions.defaults().keepTop(1_000).expireAfter(Duration.ofDays(8)));
 * weekly.increment("alice", 30);
 * List<LeaderboardEntry> podium = weekly.top(3);
 * Optional<LeaderboardEntry> me = weekly.entry("alice");     // rank 1-based, and score
 * List<LeaderboardEntry> near = weekly.around("alice", 2);  // two above, alice, two below
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * A board is one sorted set, {@code weft:lb:{<name>}} (the name is the hash tag, escaped as
 * {@code HashTags} does), holding each member's score <em>negated</em>. Redis orders a sorted set
 * by score and equal scores by the members' bytes, ascending, in both directions of a plain
 * {@code ZRANGE}; storing {@code -score} makes the ascending order "best first, and among equal
 * scores member names in ascending byte order (for ASCII names, alphabetical)", so {@code ZRANK}
 * is the rank (0-based) and {@code ZRANGE} the standings, with no second sort key and no loss of
 * precision.
 * That is the documented tie order: equal scores rank by member name, never by arrival. ({@code
 * redis-cli} therefore shows scores with their sign flipped.)
 *
 * <p>Writes go through one script, {@code leaderboard_write.lua}: it sets, keeps the better of,
 * or increments the score, then removes every member ranked below {@link
 * LeaderboardOptions#keepTop()} and renews the board's expiry, all in one step, so the board never
 * holds more than its bound and no reader sees a member that the trim removed. Reading a member's
 * neighbourhood ({@link #around}, {@link #entry}) is one script too ({@code
 * leaderboard_around.lua}), so the rank and the listed entries come from the same moment. Top,
 * page, rank and score are single commands.
 *
 * <h2>Failures</h2>
 *
 * No policy of its own: while Redis is unavailable every method throws {@link
 * dev.weft.exception.WeftUnavailableException} (an error reply, a defect, is Lettuce's exception),
 * never an empty board.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Leaderboard {

  /** The most entries one read returns. */
  public static final int MAX_READ = 10_000;

  /** The member's score and 0-based rank after the write, {@code null} if it is off the board. */
  private static final Script<Standing> WRITE =
      Script.multi(
          "leaderboard_write",
          reply -> (Long) reply.get(1) < 0
              ? null
              : new Standing(unnegate(parse((byte[]) reply.get(0))), (Long) reply.get(1)));
  /** A member and its neighbours, best first; empty if it is not on the board. */
  private static final Script<List<LeaderboardEntry>> AROUND =
      Script.multi("leaderboard_around", Leaderboard::entries);

  private static final String SET = "set";
  private static final String BEST = "best";
  private static final String INCR = "incr";

  private final RedisGateway redis;
  private final String name;
  private final LeaderboardOptions options;
  private final String key;

  private Leaderboard(RedisGateway redis, String name, LeaderboardOptions options) {
    this.redis = redis;
    this.name = name;
    this.options = options;
    this.key = HashTags.tagged(redis.keys().internal("lb:"), name);
  }

  static {
    PatternFactories.register(
        Leaderboard.class,
        (weft, name, options, c, d) -> of(weft, (String) name, (LeaderboardOptions) options));
  }

  /**
   * The board named {@code name} on the runtime's Redis. Boards with equal names are the same
   * board, in every process; give processes that share a board the same options.
   *
   * @param weft the runtime whose Redis holds the board, not {@code null}
   * @param name the board's name, not {@code null}, not empty; any characters
   * @param options its bound and expiry, not {@code null}
   * @return the board, never {@code null}; nothing is sent to Redis yet
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code name} is empty
   */
  static Leaderboard of(Weft weft, String name, LeaderboardOptions options) {
    Objects.requireNonNull(weft, "weft");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          "a leaderboard's name must not be empty; name it after what it ranks, such as"
              + " \"weekly-2026-47\"");
    }
    return new Leaderboard(WeftAccess.redis(weft), name, options);
  }

  /**
   * Sets a member's score, adding the member if it is new.
   *
   * @param member the member, not {@code null}, not empty
   * @param score the score, finite
   * @return the member's entry after the write, or empty if it ranks below {@link
   *     LeaderboardOptions#keepTop()} and was trimmed at once
   * @throws NullPointerException if {@code member} is {@code null}
   * @throws IllegalArgumentException if {@code member} is empty or {@code score} is not finite
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public Optional<LeaderboardEntry> set(String member, double score) {
    return write(SET, member, score, "score", null);
  }

  /**
   * Sets a member's score only if it is higher than its current one (a personal best); a new
   * member is added.
   *
   * @param member the member, not {@code null}, not empty
   * @param score the candidate score, finite
   * @return the member's entry after the write (its score is the better of the two), or empty if
   *     the member was trimmed
   * @throws NullPointerException if {@code member} is {@code null}
   * @throws IllegalArgumentException if {@code member} is empty or {@code score} is not finite
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public Optional<LeaderboardEntry> setIfHigher(String member, double score) {
    return write(BEST, member, score, "score", null);
  }

  /**
   * Adds {@code delta} to a member's score; a new member starts at 0.
   *
   * @param member the member, not {@code null}, not empty
   * @param delta what to add, finite, may be negative
   * @return the member's entry after the write, or empty if it was trimmed
   * @throws NullPointerException if {@code member} is {@code null}
   * @throws IllegalArgumentException if {@code member} is empty or {@code delta} is not finite
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public Optional<LeaderboardEntry> increment(String member, double delta) {
    return write(INCR, member, delta, "delta", null);
  }

  /**
   * Adds {@code delta} to a member's score once per event: a second call with the same {@code
   * eventId} (within a day) changes nothing. For consumers of at-least-once
   * deliveries, such as a {@code @StreamListener}, whose events can arrive again after a crash:
   * pass the stream entry's id.
   *
   * @param member the member, not {@code null}, not empty
   * @param delta what to add, finite, may be negative
   * @param eventId the event's id, 1 to 200 characters
   * @return the member's entry after the write (or as it stands, for an event seen before), or
   *     empty if it is not on the board
   * @throws NullPointerException if {@code member} or {@code eventId} is {@code null}
   * @throws IllegalArgumentException if {@code member} or {@code eventId} is empty, or {@code
   *     delta} is not finite
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public Optional<LeaderboardEntry> increment(String member, double delta, String eventId) {
    return write(INCR, member, delta, "delta", EventIds.check(eventId));
  }

  /**
   * @param n how many, 1 to {@value #MAX_READ}
   * @return the best {@code n} entries (fewer if the board is smaller), best first, never {@code
   *     null}
   * @throws IllegalArgumentException if {@code n} is out of range
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public List<LeaderboardEntry> top(int n) {
    return range(1, n);
  }

  /**
   * @param fromRank the first rank listed, 1-based
   * @param count how many, 1 to {@value #MAX_READ}
   * @return the entries ranked {@code fromRank} to {@code fromRank + count - 1}, best first; fewer
   *     or none past the end of the board; never {@code null}
   * @throws IllegalArgumentException if an argument is out of range
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public List<LeaderboardEntry> range(long fromRank, int count) {
    if (fromRank < 1) {
      throw new IllegalArgumentException("fromRank is 1-based (1 is the best), was " + fromRank);
    }
    checkCount("count", count);
    long start = fromRank - 1;
    List<ScoredValue<byte[]>> values =
        redis.execute(c -> c.zrangeWithScores(key, start, start + count - 1));
    List<LeaderboardEntry> entries = new ArrayList<>(values.size());
    long rank = fromRank;
    for (ScoredValue<byte[]> value : values) {
      entries.add(new LeaderboardEntry(utf8(value.getValue()), unnegate(value.getScore()), rank++));
    }
    return entries;
  }

  /**
   * One page of the standings.
   *
   * @param page the page number, 1-based
   * @param pageSize entries per page, 1 to {@value #MAX_READ}
   * @return the entries ranked {@code (page - 1) * pageSize + 1} onwards, at most {@code
   *     pageSize}, best first; empty past the end; never {@code null}
   * @throws IllegalArgumentException if an argument is out of range
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public List<LeaderboardEntry> page(int page, int pageSize) {
    if (page < 1) {
      throw new IllegalArgumentException("page is 1-based, was " + page);
    }
    checkCount("pageSize", pageSize);
    return range((long) (page - 1) * pageSize + 1, pageSize);
  }

  /**
   * @param member the member, not {@code null}
   * @return its rank, 1 for the best, or empty if it is not on the board
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public OptionalLong rank(String member) {
    byte[] m = utf8(Objects.requireNonNull(member, "member"));
    Long rank = redis.execute(c -> c.zrank(key, m));
    return rank == null ? OptionalLong.empty() : OptionalLong.of(rank + 1);
  }

  /**
   * @param member the member, not {@code null}
   * @return its score, or empty if it is not on the board
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public OptionalDouble score(String member) {
    byte[] m = utf8(Objects.requireNonNull(member, "member"));
    Double score = redis.execute(c -> c.zscore(key, m));
    return score == null ? OptionalDouble.empty() : OptionalDouble.of(unnegate(score));
  }

  /**
   * A member's rank and score, read together.
   *
   * @param member the member, not {@code null}
   * @return its entry, or empty if it is not on the board
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public Optional<LeaderboardEntry> entry(String member) {
    List<LeaderboardEntry> entries = around(member, 0);
    return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(0));
  }

  /**
   * A member and its neighbours: up to {@code radius} entries ranked just above it, the member,
   * and up to {@code radius} ranked just below, read together.
   *
   * @param member the member, not {@code null}
   * @param radius how many neighbours on each side, 0 to {@value #MAX_READ} / 2
   * @return the entries, best first (fewer at either end of the board), or empty if the member is
   *     not on the board; never {@code null}
   * @throws IllegalArgumentException if {@code radius} is out of range
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public List<LeaderboardEntry> around(String member, int radius) {
    Objects.requireNonNull(member, "member");
    if (radius < 0 || radius > MAX_READ / 2) {
      throw new IllegalArgumentException(
          "radius must be between 0 and " + MAX_READ / 2 + ", was " + radius);
    }
    return redis.run(AROUND.keys(key).arg(member).arg(radius));
  }

  private static List<LeaderboardEntry> entries(List<Object> reply) {
    if (reply.isEmpty()) {
      return List.of();
    }
    long rank = (Long) reply.get(0) + 1;
    List<LeaderboardEntry> entries = new ArrayList<>((reply.size() - 1) / 2);
    for (int i = 1; i + 1 < reply.size(); i += 2) {
      entries.add(new LeaderboardEntry(
          utf8((byte[]) reply.get(i)), unnegate(parse((byte[]) reply.get(i + 1))), rank++));
    }
    return entries;
  }

  /**
   * @param member the member, not {@code null}
   * @return whether it was on the board
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public boolean remove(String member) {
    byte[] m = utf8(Objects.requireNonNull(member, "member"));
    return redis.execute(c -> c.zrem(key, m)) > 0;
  }

  /**
   * @return how many members the board holds
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public long size() {
    return redis.execute(c -> c.zcard(key));
  }

  /**
   * Deletes the board.
   *
   * @return whether there was a board to delete
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public boolean clear() {
    return redis.execute(c -> c.del(key)) > 0;
  }

  /** @return the board's name, never {@code null} */
  public String name() {
    return name;
  }

  /** @return its options, never {@code null} */
  public LeaderboardOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return "Leaderboard[" + name + ", " + options + "]";
  }

  private Optional<LeaderboardEntry> write(
      String mode, String member, double value, String what, String eventId) {
    Objects.requireNonNull(member, "member");
    if (member.isEmpty()) {
      throw new IllegalArgumentException("member must not be empty; use a user id or name");
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number, was " + value);
    }
    String[] keys =
        eventId == null ? new String[] {key} : new String[] {key, key + ":seen:" + eventId};
    Standing standing =
        redis.run(
            WRITE.keys(keys)
                .arg(mode)
                .arg(member)
                .arg(Double.toString(0.0 - value))
                .arg(options.keepTop())
                .arg(options.expireAfter())
                .arg(EventIds.WINDOW));
    return standing == null
        ? Optional.empty()
        : Optional.of(new LeaderboardEntry(member, standing.score(), standing.rank() + 1));
  }

  /** A member's score (not negated) and 0-based rank, as {@code leaderboard_write.lua} answers. */
  private record Standing(double score, long rank) {}

  private static void checkCount(String what, int count) {
    if (count < 1 || count > MAX_READ) {
      throw new IllegalArgumentException(
          what + " must be between 1 and " + MAX_READ + ", was " + count
              + "; read larger boards page by page");
    }
  }

  /** Scores are stored negated; {@code 0.0 - x} never yields {@code -0.0}. */
  private static double unnegate(double stored) {
    return 0.0 - stored;
  }

  private static double parse(byte[] redisDouble) {
    return Double.parseDouble(new String(redisDouble, StandardCharsets.US_ASCII));
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
