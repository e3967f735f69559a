package dev.weft.internal.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.plan.Invocation;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.internal.plan.Step;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code @CachedBulk}: caches a method from a collection of ids to a map, one entry per id.
 *
 * <p>One MGET reads every requested id's entry (on a cluster Lettuce splits it by slot and
 * gathers the replies). The method is then called with only the ids that missed, in a new
 * collection of the declared kind ({@code List}, {@code Set} or {@code Collection}), and each of
 * its results is stored under its own key with the store script. The returned map holds hits and
 * loaded values in request order. Bulk loads are not stampede-protected per id: concurrent bulk
 * misses of the same ids may each load them.
 *
 * <p>Invalidation wins here too (see {@link CacheAside}): for each id that missed, a lease marker is
 * put at its key (all at once, pipelined) before the method runs, and its value is stored only if
 * the marker is still there; an id whose lease could not be taken is loaded but not stored. Markers
 * of a call whose method throws stay until their TTL, read as misses.
 *
 * <p>Failures fail open as for single entries: if the MGET fails the method is called with every
 * id; if stores fail the values are still returned.
 */
public final class BulkCache implements Step {

  private static final Logger log = LoggerFactory.getLogger(BulkCache.class);
  private static final Object ABSENT = new Object();

  private final String method;
  private final KeyTemplate key;
  private final int collection;
  private final boolean set;
  private final Duration ttl;
  private final Duration jitter;
  private final boolean cacheNulls;
  private final TypedCodec codec;
  private final FailureLog failures;

  /**
   * @param method the method as people read it
   * @param key the per-element key template (the collection parameter seen as its element type)
   * @param collection the collection parameter's position
   * @param set whether the parameter is declared as a {@link Set}
   * @param ttl each entry's time to live
   * @param jitter the random extra lifetime
   * @param cacheNulls whether ids the method leaves out are cached as absent
   * @param codec the codec of the map's values
   */
  public BulkCache(
      String method, KeyTemplate key, int collection, boolean set, Duration ttl, Duration jitter,
      boolean cacheNulls, TypedCodec codec) {
    this.method = method;
    this.key = key;
    this.collection = collection;
    this.set = set;
    this.ttl = ttl;
    this.jitter = jitter;
    this.cacheNulls = cacheNulls;
    this.codec = codec;
    this.failures = new FailureLog(log, method);
  }

  /** A bulk call in progress. */
  public static final class Call {
    final Object[] originalArgs;
    final Object[] args;
    final List<Object> ids;
    final Map<Object, String> keys;
    final Map<Object, Object> found;
    final List<Object> missing;
    /** By missing id: what its key must still hold for the store (a lease marker). */
    final Map<Object, byte[]> expect;
    final byte[] marker;

    Call(Object[] originalArgs, Object[] args, List<Object> ids, Map<Object, String> keys,
        Map<Object, Object> found, List<Object> missing, Map<Object, byte[]> expect,
        byte[] marker) {
      this.expect = expect;
      this.marker = marker;
      this.originalArgs = originalArgs;
      this.args = args;
      this.ids = ids;
      this.keys = keys;
      this.found = found;
      this.missing = missing;
    }

    /** @return whether every id was cached, so the method need not run */
    public boolean hit() {
      return missing.isEmpty();
    }

    /** @return the arguments to run the method with: only the missing ids */
    public Object[] args() {
      return args;
    }
  }

  /**
   * Reads every id's entry: when all are cached, ends the call with their map; otherwise the body
   * runs with only the ids that missed.
   *
   * @return the bulk call, for {@link #after}
   */
  @Override
  public Object before(Invocation call) {
    CacheRuntime runtime = call.cache();
    Call bulk = begin(runtime, call.args());
    if (bulk.hit()) {
      call.end(finish(runtime, bulk, null));
    } else {
      call.runWith(bulk.args());
    }
    return bulk;
  }

  /**
   * Stores what the method loaded and answers every requested id.
   *
   * @return the map for every requested id, or {@code result} when the method threw
   */
  @Override
  public Object after(Invocation call, Object state, Object result, Throwable thrown) {
    return thrown != null ? result : finish(call.cache(), (Call) state, result);
  }

  @Override
  public boolean keepsState() {
    return true;
  }

  /**
   * Reads every id's entry.
   *
   * @param runtime the cache runtime
   * @param args the call's arguments
   * @return the call; when not {@link Call#hit()}, run the method with {@link Call#args()}
   */
  public Call begin(CacheRuntime runtime, Object[] args) {
    Collection<?> requested = (Collection<?>) args[collection];
    List<Object> ids = new ArrayList<>(new LinkedHashSet<>(requested == null ? List.of() : requested));
    Map<Object, String> keys = new LinkedHashMap<>();
    Object[] one = args.clone();
    for (Object id : ids) {
      one[collection] = id;
      keys.put(id, key.render(one));
    }
    Map<Object, Object> found = new LinkedHashMap<>();
    if (!keys.isEmpty()) {
      try {
        Map<String, byte[]> byKey = EntryStore.getAll(runtime.redis(), keys.values());
        for (Object id : ids) {
          byte[] bytes = byKey.get(keys.get(id));
          if (EntryStore.isEntry(bytes)) {
            Object value = decode(keys.get(id), bytes);
            if (value != MISSING) {
              found.put(id, value == null ? ABSENT : value);
            }
          }
        }
      } catch (RedisException | WeftUnavailableException e) {
        failures.redisFailed("read", keys.size() + " bulk entries", e);
      }
    }
    byte[] marker = EntryStore.newMarker();
    Map<Object, CompletableFuture<byte[]>> leases = new LinkedHashMap<>();
    for (Object id : ids) {
      if (!found.containsKey(id)) {
        leases.put(id, EntryStore.leaseAsync(runtime.redis(), keys.get(id), marker, ttl.toMillis()));
      }
    }
    Map<Object, byte[]> expect = new LinkedHashMap<>();
    List<Object> missing = new ArrayList<>();
    for (Map.Entry<Object, CompletableFuture<byte[]>> lease : leases.entrySet()) {
      Object id = lease.getKey();
      try {
        byte[] held = lease.getValue().join();
        if (held == null) {
          expect.put(id, marker);
        } else {
          Object value = decode(keys.get(id), held);
          if (value != MISSING) {
            found.put(id, value == null ? ABSENT : value);
            continue;
          }
          expect.put(id, held);
        }
      } catch (CompletionException | RedisException | WeftUnavailableException e) {
        RuntimeException cause =
            e instanceof CompletionException && e.getCause() instanceof RuntimeException r ? r : e;
        failures.redisFailed("lease", keys.get(id), cause);
      }
      missing.add(id);
    }
    Object[] loadArgs = args.clone();
    loadArgs[collection] = set ? new LinkedHashSet<>(missing) : missing;
    return new Call(args, loadArgs, ids, keys, found, missing, expect, marker);
  }

  /**
   * Stores what the method returned for the missing ids, and returns the whole answer.
   *
   * @param runtime the cache runtime
   * @param call what {@link #begin} returned
   * @param returned the method's map for the missing ids (ignored on a full hit)
   * @return the map for every requested id, in request order
   */
  public Map<Object, Object> finish(CacheRuntime runtime, Call call, Object returned) {
    Map<?, ?> loaded = returned instanceof Map<?, ?> m ? m : Map.of();
    for (Object id : call.missing) {
      Object value = loaded.get(id);
      byte[] expected = call.expect.get(id);
      if (expected == null) {
        continue;
      }
      try {
        if (value == null && !cacheNulls) {
          EntryStore.abandon(runtime.redis(), call.keys.get(id), call.marker);
          continue;
        }
        long ttlMillis = EntryStore.ttlMillis(ttl, jitter);
        if (EntryStore.putIf(
            runtime.redis(), call.keys.get(id), encode(value), ttlMillis, List.of(), expected)) {
          runtime.retries().stored(ttlMillis);
        }
      } catch (RedisException | WeftUnavailableException e) {
        failures.redisFailed("write", call.keys.get(id), e);
      }
    }
    Map<Object, Object> answer = new LinkedHashMap<>();
    for (Object id : call.ids) {
      Object value = call.found.containsKey(id) ? call.found.get(id) : loaded.get(id);
      if (value != null && value != ABSENT) {
        answer.put(id, value);
      }
    }
    return answer;
  }

  private static final Object MISSING = new Object();

  private Object decode(String entry, byte[] bytes) {
    try {
      return codec.decode(bytes);
    } catch (IOException e) {
      log.warn("{}: the entry '{}' does not read as {}; treating it as a miss", method, entry,
          codec.typeName());
      return MISSING;
    }
  }

  private byte[] encode(Object value) {
    try {
      return codec.encode(value);
    } catch (IOException e) {
      throw new WeftConfigurationException(
          "@CachedBulk on " + method + ": a value cannot be written as " + codec.typeName()
              + " (" + e.getMessage() + ")",
          e);
    }
  }


  /** @return whether {@code type} is a {@link Set} */
  public static boolean isSet(Class<?> type) {
    return Set.class.isAssignableFrom(type);
  }
}
