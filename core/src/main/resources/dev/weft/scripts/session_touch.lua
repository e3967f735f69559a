-- Read and/or update a session, and slide its expiry, in one step.
--
-- KEYS[1]  the session, weft:session:<store>:{<user tag>}:<id hash> (see session_create.lua)
-- KEYS[2]  the user's index, weft:session:<store>:{<user tag>}:index (same slot): id hashes
--          scored by expiry in microseconds (see session_create.lua)
-- ARGV[1]  the id hash (the session's member in the index)
-- ARGV[2]  the idle timeout in milliseconds
-- ARGV[3]  1 to return the session's fields, 0 to return only whether it exists
-- ARGV[4]  n, how many fields to set
-- ARGV[5..4+2n]  name, JSON value, ... to set
-- ARGV[5+2n..]   names of fields to remove
--
-- The new TTL is the idle timeout, cut to what is left of the session's lifetime ('@deadline').
-- A session past its deadline is deleted and reads as absent.
--
-- Returns  (ScriptOutputType.MULTI: List<Object>) {} if there is no session; else {expires} when
--          ARGV[3] is 0, or {expires, name, value, name, value, ...} with every field, Weft's '@'
--          fields included; expires is in ms since the epoch (Redis clock)
local deadline = redis.call('HGET', KEYS[1], '@deadline')
if not deadline then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return {}
end
local t = redis.call('TIME')
local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
local now = math.floor(now_us / 1000)
local ttl = tonumber(ARGV[2])
deadline = tonumber(deadline)
if deadline > 0 then
  local left = deadline - now
  if left <= 0 then
    redis.call('DEL', KEYS[1])
    redis.call('ZREM', KEYS[2], ARGV[1])
    return {}
  end
  if left < ttl then
    ttl = left
  end
end

local sets = tonumber(ARGV[4])
local last = 4 + 2 * sets
for i = 5, last, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
for i = last + 1, #ARGV do
  redis.call('HDEL', KEYS[1], ARGV[i])
end

redis.call('PEXPIRE', KEYS[1], ttl)
local expires = now + ttl
redis.call('ZADD', KEYS[2], string.format('%.0f', now_us + ttl * 1000), ARGV[1])
if redis.call('PTTL', KEYS[2]) < ttl then
  redis.call('PEXPIRE', KEYS[2], ttl)
end
if ARGV[3] == '0' then
  return {expires}
end
local reply = redis.call('HGETALL', KEYS[1])
table.insert(reply, 1, expires)
return reply
