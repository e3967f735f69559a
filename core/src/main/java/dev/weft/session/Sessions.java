package dev.weft.session;

import dev.weft.Weft;
import dev.weft.codec.ValueCodec;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.Script;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A session store in Redis, shared by every process that uses the same Redis and store name:
 * create a session for a user, read it (each read extends it), update its fields, destroy it, or
 * destroy all of a user's sessions at once ("log out everywhere").
 *
 * <pre>{@code
 * Sessions sessions = weft.sessions("web",
 *     SessionOptions.defaults().idleTimeout("30m").maxLifetime(Duration.ofHours(12)));
 * Session s = sessions.create("user-42", Map.of("role", "admin", "cart", List.of(7, 9)));
 * response.addCookie(new Cookie("sid", s.id()));
 * ...
 * Optional<Session> current = sessions.get(cookieValue);   // empty: log in again
 * String role = current.map(x -> x.getString("role")).orElse(null);
 * sessions.destroyAll("user-42");                        // password changed
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * <p><b>Ids.</b> An id is {@code <user tag>.<secret>}: the secret is 256 bits from {@link
 * SecureRandom}, the user tag the first 128 bits of SHA-256 of the user id, both URL-safe Base64
 * without padding (22 + 1 + 43 = 66 characters, safe in cookies and URLs). Redis never holds an
 * id: a session's key ends with the hex SHA-256 of the whole id, so a leaked dump or a {@code
 * MONITOR} of reads cannot be replayed as a session. (The tag lets whoever holds an id test
 * guesses of its user id, not learn a secret.) A string that is not of this shape reads as no
 * session without a call to Redis.
 *
 * <p><b>Keys.</b> A session is the hash {@code weft:session:<store>:{<user tag>}:<hex SHA-256 of
 * the id>} holding the caller's fields as the runtime's codec writes them (JSON by default, no
 * type information: strings, numbers, lists, records...) and Weft's own fields, whose names start
 * with {@code @} (user, creation time, lifetime deadline). A user's index is the sorted set {@code
 * weft:session:<store>:{<user tag>}:index} of the hashes of the user's sessions, each scored by
 * when it expires, in microseconds of Redis's clock (so sessions created one after another never
 * tie when the bound picks the one to evict). The user tag is the hash tag of both, and the id
 * carries it, so from an id alone Weft finds both keys, and every script that touches a session and its index (or all of a
 * user's sessions) works in one Redis Cluster slot.
 *
 * <p><b>Scripts.</b> Each operation is one script, on Redis's clock: {@code session_create.lua}
 * writes the hash, sets its TTL, enters it in the index and, if the user would hold more than
 * {@link SessionOptions#maxSessionsPerUser()}, destroys the user's sessions that expire soonest;
 * {@code session_touch.lua} reads and/or updates the hash and slides its TTL to the idle timeout
 * (cut to what is left of the maximum lifetime) together with its index score; {@code
 * session_destroy.lua} deletes one session and its index entry; {@code session_destroy_all.lua}
 * deletes every session in the index and the index. Since every change to a session and to its
 * index entry happens in the same script, every live session is in its user's index with its
 * exact expiry; the index drops expired entries on each create, lives as long as its longest
 * session, and is bounded by {@code maxSessionsPerUser}. Every key has a TTL.
 *
 * <h2>Failures</h2>
 *
 * No policy of its own: while Redis is unavailable every method throws {@link
 * dev.weft.exception.WeftUnavailableException} (an error reply, a defect, is Lettuce's exception).
 * A read never answers "no session" for a session it could not read, so an outage does not log
 * users out, and the caller decides what a request gets while Redis is down.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Sessions {

  /** {created, expires, evicted}. */
  private static final Script<List<Long>> CREATE = Script.integers("session_create");
  /** {} for no session, else {expires} or {expires, name, value, ...}. */
  private static final Script<List<Object>> TOUCH = Script.multi("session_touch", reply -> reply);
  private static final Script<Boolean> DESTROY = Script.flag("session_destroy");
  private static final Script<Long> DESTROY_ALL = Script.integer("session_destroy_all");

  private static final Pattern STORE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int TAG_BYTES = 16;
  private static final int SECRET_BYTES = 32;
  private static final int TAG_CHARS = 22;
  private static final int ID_CHARS = TAG_CHARS + 1 + 43;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private static final String USER = "@user";
  private static final String CREATED = "@created";

  private final RedisGateway redis;
  private final String store;
  private final SessionOptions options;
  private final String prefix;

  private Sessions(RedisGateway redis, String store, SessionOptions options) {
    this.redis = redis;
    this.store = store;
    this.options = options;
    this.prefix = redis.keys().internal("session:" + store + ":");
  }

  static {
    PatternFactories.register(
        Sessions.class,
        (weft, store, options, c, d) -> of(weft, (String) store, (SessionOptions) options));
  }

  /**
   * The session store named {@code store} on the runtime's Redis. Stores with equal names are the
   * same store, in every process; give processes that share a store the same options.
   *
   * @param weft the runtime whose Redis holds the sessions, not {@code null}
   * @param store the store's name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
   * @param options expiry and bounds, not {@code null}
   * @return the store, never {@code null}; nothing is sent to Redis yet
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code store} is not a valid name
   */
  static Sessions of(Weft weft, String store, SessionOptions options) {
    Objects.requireNonNull(weft, "weft");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(options, "options");
    if (!STORE_NAME.matcher(store).matches()) {
      throw new IllegalArgumentException(
          "a session store's name must be 1 to 64 letters, digits, '.', '_' or '-', such as"
              + " \"web\"; was \"" + store + "\"");
    }
    return new Sessions(WeftAccess.redis(weft), store, options);
  }

  /**
   * Creates a session without fields. Same as {@code create(userId, Map.of())}.
   *
   * @param userId the session's user, not {@code null}, not empty
   * @return the new session, never {@code null}
   * @throws NullPointerException if {@code userId} is {@code null}
   * @throws IllegalArgumentException if {@code userId} is empty
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public Session create(String userId) {
    return create(userId, Map.of());
  }

  /**
   * Creates a session with a fresh random id. If the user then held more than {@link
   * SessionOptions#maxSessionsPerUser()} sessions, the ones that would expire soonest are
   * destroyed in the same step.
   *
   * @param userId the session's user, not {@code null}, not empty; any characters
   * @param fields the initial fields, not {@code null}; names not empty and not starting with
   *     {@code @} (reserved for Weft), values anything the runtime's
   *     codec writes (may be {@code null})
   * @return the new session, never {@code null}; hand {@link Session#id()} to the client
   * @throws NullPointerException if {@code userId}, {@code fields} or a field name is {@code null}
   * @throws IllegalArgumentException if {@code userId} is empty, a field name is invalid, or a
   *     value cannot be written as JSON
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow; no
   *     session was created unless the failure was a lost reply
   */
  public Session create(String userId, Map<String, ?> fields) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(fields, "fields");
    if (userId.isEmpty()) {
      throw new IllegalArgumentException("userId must not be empty");
    }
    Map<String, byte[]> encoded = encode(fields);
    String tag = userTag(userId);
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    String id = tag + "." + BASE64.encodeToString(secret);
    String hash = sha256Hex(id);
    Script.Call<List<Long>> call =
        CREATE.keys(keys(tag, hash))
            .arg(hash)
            .arg(userId)
            .arg(options.idleTimeout())
            .arg(options.maxLifetime())
            .arg(options.maxSessionsPerUser());
    for (Map.Entry<String, byte[]> field : encoded.entrySet()) {
      call.arg(field.getKey()).arg(field.getValue());
    }
    List<Long> reply = redis.run(call);
    return new Session(id, userId, Instant.ofEpochMilli(reply.get(0)),
        Instant.ofEpochMilli(reply.get(1)), encoded, redis.codec());
  }

  /**
   * Reads a session and extends it: its expiry moves to the idle timeout from now (never past its
   * maximum lifetime).
   *
   * @param id the id {@link #create} returned, not {@code null}; any other string reads as no
   *     session
   * @return the session, or empty if there is none (never created, expired, destroyed, or not a
   *     session id)
   * @throws NullPointerException if {@code id} is {@code null}
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow; never an
   *     empty answer for a session that could not be read
   */
  public Optional<Session> get(String id) {
    Objects.requireNonNull(id, "id");
    if (!isWellFormed(id)) {
      return Optional.empty();
    }
    List<Object> reply = touch(id, true, Map.of(), List.of());
    if (reply.isEmpty()) {
      return Optional.empty();
    }
    Map<String, byte[]> fields = new HashMap<>();
    String userId = null;
    long created = 0;
    for (int i = 1; i + 1 < reply.size(); i += 2) {
      String name = new String((byte[]) reply.get(i), StandardCharsets.UTF_8);
      byte[] value = (byte[]) reply.get(i + 1);
      if (name.equals(USER)) {
        userId = new String(value, StandardCharsets.UTF_8);
      } else if (name.equals(CREATED)) {
        created = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
      } else if (!name.startsWith("@")) {
        fields.put(name, value);
      }
    }
    return Optional.of(new Session(id, userId, Instant.ofEpochMilli(created),
        Instant.ofEpochMilli((Long) reply.get(0)), fields, redis.codec()));
  }

  /**
   * Sets fields of a session and extends it, as a read does. Fields not named keep their values.
   *
   * @param id the session's id, not {@code null}
   * @param fields the fields to set, not {@code null}; names as in {@link #create(String, Map)}
   * @return {@code true} if the session exists and was updated, {@code false} if there is none
   * @throws NullPointerException if an argument or a field name is {@code null}
   * @throws IllegalArgumentException if a field name is invalid or a value cannot be written
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public boolean update(String id, Map<String, ?> fields) {
    return update(id, fields, List.of());
  }

  /**
   * Sets some fields and removes others, in one step, and extends the session as a read does.
   *
   * @param id the session's id, not {@code null}
   * @param set the fields to set, not {@code null}, may be empty
   * @param remove the names of fields to remove, not {@code null}, may be empty; a name both set
   *     and removed ends up removed
   * @return {@code true} if the session exists and was updated, {@code false} if there is none
   * @throws NullPointerException if an argument or a field name is {@code null}
   * @throws IllegalArgumentException if a field name is invalid or a value cannot be written
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public boolean update(String id, Map<String, ?> set, Collection<String> remove) {
    Objects.requireNonNull(id, "id");
    Map<String, byte[]> encoded = encode(Objects.requireNonNull(set, "set"));
    Objects.requireNonNull(remove, "remove");
    for (String name : remove) {
      checkFieldName(name);
    }
    if (!isWellFormed(id)) {
      return false;
    }
    return !touch(id, false, encoded, remove).isEmpty();
  }

  /**
   * Destroys a session (log out).
   *
   * @param id the session's id, not {@code null}
   * @return {@code true} if a session was destroyed, {@code false} if there was none
   * @throws NullPointerException if {@code id} is {@code null}
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public boolean destroy(String id) {
    Objects.requireNonNull(id, "id");
    if (!isWellFormed(id)) {
      return false;
    }
    String tag = id.substring(0, TAG_CHARS);
    String hash = sha256Hex(id);
    return redis.run(DESTROY.keys(keys(tag, hash)).arg(hash));
  }

  /**
   * Destroys every session of a user in this store, in one step (log out everywhere).
   *
   * @param userId the user, not {@code null}
   * @return how many sessions were destroyed
   * @throws NullPointerException if {@code userId} is {@code null}
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public long destroyAll(String userId) {
    Objects.requireNonNull(userId, "userId");
    String tagged = prefix + "{" + userTag(userId) + "}:";
    return redis.run(DESTROY_ALL.keys(tagged + "index").arg(tagged));
  }

  /** @return the store's name, never {@code null} */
  public String store() {
    return store;
  }

  /** @return its options, never {@code null} */
  public SessionOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return "Sessions[" + store + ", " + options + "]";
  }

  private List<Object> touch(
      String id, boolean read, Map<String, byte[]> set, Collection<String> remove) {
    String tag = id.substring(0, TAG_CHARS);
    String hash = sha256Hex(id);
    Script.Call<List<Object>> call =
        TOUCH.keys(keys(tag, hash))
            .arg(hash)
            .arg(options.idleTimeout())
            .arg(read ? 1 : 0)
            .arg(set.size());
    for (Map.Entry<String, byte[]> field : set.entrySet()) {
      call.arg(field.getKey()).arg(field.getValue());
    }
    for (String name : remove) {
      call.arg(name);
    }
    return redis.run(call);
  }

  private String[] keys(String tag, String hash) {
    String tagged = prefix + "{" + tag + "}:";
    return new String[] {tagged + hash, tagged + "index"};
  }

  /** The first 128 bits of SHA-256 of the user id, URL-safe Base64: 22 characters. */
  static String userTag(String userId) {
    byte[] digest = sha256(userId.getBytes(StandardCharsets.UTF_8));
    return BASE64.encodeToString(Arrays.copyOf(digest, TAG_BYTES));
  }

  static boolean isWellFormed(String id) {
    if (id.length() != ID_CHARS || id.charAt(TAG_CHARS) != '.') {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean base64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!base64 && i != TAG_CHARS) {
        return false;
      }
    }
    return true;
  }

  private Map<String, byte[]> encode(Map<String, ?> fields) {
    Map<String, byte[]> encoded = new HashMap<>();
    ValueCodec codec = redis.codec();
    for (Map.Entry<String, ?> field : fields.entrySet()) {
      String name = field.getKey();
      checkFieldName(name);
      Object value = field.getValue();
      try {
        encoded.put(name, codec.encode(value, value == null ? Object.class : value.getClass()));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("session field '" + name + "': cannot write a "
            + (value == null ? "null" : value.getClass().getName()) + " (" + e.getMessage() + ")",
            e);
      }
    }
    return encoded;
  }

  private static void checkFieldName(String name) {
    Objects.requireNonNull(name, "a field name is null");
    if (name.isEmpty() || name.startsWith("@")) {
      throw new IllegalArgumentException(
          "field name \"" + name + "\" is not allowed: names must not be empty or start with '@'"
              + " (reserved for Weft's own fields)");
    }
  }

  private static String sha256Hex(String id) {
    return HexFormat.of().formatHex(sha256(id.getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
