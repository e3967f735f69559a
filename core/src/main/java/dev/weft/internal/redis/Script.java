package dev.weft.internal.redis;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A Lua script of Weft together with the type of its reply: the {@link LuaScript} resource, the
 * {@link ScriptOutputType} Lettuce reads the reply with, and the function that turns that raw
 * reply into {@code R}. Constants of this type are the only way Weft names a script; a call is
 * built from one with {@link #keys} and {@link Call#arg} and run by {@link RedisGateway#run} (or
 * {@link RedisGateway#runAsync}), which alone sends EVALSHA and falls back to EVAL on NOSCRIPT.
 *
 * <pre>{@code
 * static final Script<Boolean> RENEW = Script.flag("lock_renew");
 * boolean extended = redis.run(RENEW.keys(key).arg(owner).arg(lease));
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * Each script's header in {@code dev/weft/scripts/} tables its KEYS, ARGV and reply; the constant
 * that loads it says the same in Java: its type argument is what a caller gets, and its factory
 * ({@link #integer}, {@link #flag}, {@link #status}, {@link #value}, {@link #integers}, {@link
 * #multi}) fixes how Redis's reply is mapped, following Lettuce's {@link ScriptOutputType}: a Lua
 * number is a {@code Long}, a Lua string a {@code byte[]} (values travel as raw bytes), a Lua
 * table a {@code List<Object>} of those, a status reply a {@code String}; Lua {@code false} and
 * {@code nil} are a nil reply, {@code null}. A decoder sees only non-{@code null} replies, and a
 * reply of a shape it cannot read (a broken script, never a Redis outage) is an {@link
 * IllegalStateException} naming the script.
 *
 * <p>Arguments are bytes on the wire; {@link Call} writes each kind one way only: text as UTF-8
 * (of which the ASCII of numbers and ids is a subset), integers in decimal, durations as whole
 * milliseconds (the unit of every Weft script's times), bytes as they are.
 *
 * @param <R> what the script's reply is decoded to
 */
public final class Script<R> {

  private final LuaScript lua;
  private final ScriptOutputType output;
  private final Function<Object, ? extends R> decoder;

  private Script(LuaScript lua, ScriptOutputType output, Function<Object, ? extends R> decoder) {
    this.lua = lua;
    this.output = output;
    this.decoder = decoder;
  }

  /**
   * A script read with {@code output}, its reply turned into {@code R} by {@code decoder}.
   *
   * @param name the script's base name in {@code dev/weft/scripts/}, not {@code null}
   * @param output how Lettuce reads the reply, not {@code null}
   * @param decoder from the raw reply ({@code output}'s type, never {@code null}) to {@code R}
   * @param <R> the decoded reply type
   * @return the script, never {@code null}
   * @throws IllegalStateException if the resource is missing (a broken build)
   */
  public static <R> Script<R> of(
      String name, ScriptOutputType output, Function<Object, ? extends R> decoder) {
    return new Script<>(
        LuaScript.load(name), Objects.requireNonNull(output), Objects.requireNonNull(decoder));
  }

  /** @return a script that answers an integer ({@code INTEGER}: {@code Long}) */
  public static Script<Long> integer(String name) {
    return of(name, ScriptOutputType.INTEGER, reply -> (Long) reply);
  }

  /** @return a script that answers 1 for yes and 0 for no ({@code INTEGER}, as a boolean) */
  public static Script<Boolean> flag(String name) {
    return of(name, ScriptOutputType.INTEGER, reply -> (Long) reply == 1L);
  }

  /** @return a script that answers a status reply such as {@code OK} ({@code STATUS}) */
  public static Script<String> status(String name) {
    return of(name, ScriptOutputType.STATUS, reply -> (String) reply);
  }

  /** @return a script that answers one string, as bytes ({@code VALUE}; nil is {@code null}) */
  public static Script<byte[]> value(String name) {
    return of(name, ScriptOutputType.VALUE, reply -> (byte[]) reply);
  }

  /** @return a script that answers a table of integers ({@code MULTI}: {@code List<Long>}) */
  @SuppressWarnings("unchecked") // checked element by element
  public static Script<List<Long>> integers(String name) {
    return of(
        name,
        ScriptOutputType.MULTI,
        reply -> {
          List<Object> list = (List<Object>) reply;
          for (Object element : list) {
            if (!(element instanceof Long)) {
              throw new ClassCastException("expected integers only");
            }
          }
          return (List<Long>) (List<?>) list;
        });
  }

  /**
   * @param name the script's base name
   * @param decoder from the table the script returns (numbers as {@code Long}, strings as {@code
   *     byte[]}, nested tables as lists; never {@code null}) to {@code R}
   * @param <R> the decoded reply type
   * @return a script that answers a table ({@code MULTI})
   */
  @SuppressWarnings("unchecked") // MULTI always yields a List<Object>
  public static <R> Script<R> multi(String name, Function<List<Object>, ? extends R> decoder) {
    Objects.requireNonNull(decoder);
    return of(name, ScriptOutputType.MULTI, reply -> decoder.apply((List<Object>) reply));
  }

  /** @return the script's text and SHA-1, never {@code null} */
  public LuaScript lua() {
    return lua;
  }

  /** @return how Lettuce reads the reply, never {@code null} */
  public ScriptOutputType output() {
    return output;
  }

  /**
   * Turns a raw reply into {@code R}.
   *
   * @param reply what Lettuce read with {@link #output()}, {@code null} for a nil reply
   * @return the decoded reply, {@code null} for a nil reply
   * @throws IllegalStateException if the reply does not have the shape this script answers
   */
  public R decode(Object reply) {
    if (reply == null) {
      return null;
    }
    try {
      return decoder.apply(reply);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          lua.name() + ".lua answered " + describe(reply) + ", which Weft cannot read ("
              + e.getMessage() + ")", e);
    }
  }

  private static String describe(Object reply) {
    if (reply instanceof byte[] bytes) {
      return "\"" + new String(bytes, StandardCharsets.UTF_8) + "\"";
    }
    if (reply instanceof List<?> list) {
      return list.stream().map(Script::describe).toList().toString();
    }
    return String.valueOf(reply);
  }

  /**
   * Starts a call of this script.
   *
   * @param keys the KEYS, in the order of the script's header, all in one hash slot on a cluster;
   *     the array is used as it is, not copied: do not change it afterwards
   * @return a call to add the ARGV to, never {@code null}
   */
  public Call<R> keys(String... keys) {
    return new Call<>(this, Objects.requireNonNull(keys, "keys"));
  }

  /**
   * @param keys the KEYS, in the order of the script's header, all in one hash slot on a cluster
   * @return a call to add the ARGV to, never {@code null}
   */
  public Call<R> keys(List<String> keys) {
    return new Call<>(this, keys.toArray(new String[0]));
  }

  @Override
  public String toString() {
    return "Script[" + lua.name() + ", " + output + "]";
  }

  /**
   * One call of a script: its KEYS and the ARGV added so far, in order. Built and run by one
   * thread, once; not thread-safe.
   *
   * @param <R> what the script's reply is decoded to
   */
  public static final class Call<R> {

    private static final byte[][] NONE = new byte[0][];

    private final Script<R> script;
    private final String[] keys;
    private byte[][] args = NONE;
    private int size;

    private Call(Script<R> script, String[] keys) {
      this.script = script;
      this.keys = keys;
    }

    /**
     * @param value the next ARGV as it is, not {@code null}; not copied
     * @return this call
     */
    public Call<R> arg(byte[] value) {
      Objects.requireNonNull(value, "a script argument must not be null");
      if (size == args.length) {
        args = Arrays.copyOf(args, Math.max(8, size * 2));
      }
      args[size++] = value;
      return this;
    }

    /**
     * @param value the next ARGV, written as UTF-8, not {@code null}
     * @return this call
     */
    public Call<R> arg(String value) {
      return arg(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param value the next ARGV, written in decimal
     * @return this call
     */
    public Call<R> arg(long value) {
      return arg(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param value the next ARGV, written as whole milliseconds in decimal (truncated), not
     *     {@code null}
     * @return this call
     */
    public Call<R> arg(Duration value) {
      return arg(value.toMillis());
    }

    /**
     * @param values the next ARGVs as they are, in order, none {@code null}; not copied
     * @return this call
     */
    public Call<R> args(byte[]... values) {
      for (byte[] value : values) {
        arg(value);
      }
      return this;
    }

    /**
     * @param values the next ARGVs as they are, in order, none {@code null}; not copied
     * @return this call
     */
    public Call<R> args(List<byte[]> values) {
      for (byte[] value : values) {
        arg(value);
      }
      return this;
    }

    /** @return the script this call runs, never {@code null} */
    public Script<R> script() {
      return script;
    }

    /** @return the KEYS, never {@code null}; the array itself, do not change it */
    public String[] keys() {
      return keys;
    }

    /** @return a copy of the ARGV added so far, in order, never {@code null} */
    public byte[][] args() {
      return size == args.length ? args.clone() : Arrays.copyOf(args, size);
    }

    /** @return the ARGV for sending: the array itself when it is exactly full */
    byte[][] argv() {
      if (size != args.length) {
        args = Arrays.copyOf(args, size);
      }
      return args;
    }

    @Override
    public String toString() {
      return script.lua().name() + " KEYS " + Arrays.toString(keys) + ", " + size + " ARGV";
    }
  }
}
