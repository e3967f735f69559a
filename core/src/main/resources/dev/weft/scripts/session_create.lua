-- Create a session and enter it in its user's index, evicting the user's sessions that expire
-- soonest when the user would hold more than the allowed number, in one step.
--
-- KEYS[1]  the session, weft:session:<store>:{<user tag>}:<id hash>: a hash of the user's fields
--          (JSON) and Weft's own, whose names start with '@'
-- KEYS[2]  the user's index, weft:session:<store>:{<user tag>}:index: a sorted set of id hashes
--          scored by when each session expires, in microseconds of Redis time (fine enough that
--          sessions created one after another never tie); same slot as KEYS[1]
-- ARGV[1]  the id hash (the last part of KEYS[1]); other sessions' keys are KEYS[1] with their
--          id hash in its place, in the same slot
-- ARGV[2]  the user id
-- ARGV[3]  the idle timeout in milliseconds
-- ARGV[4]  the longest lifetime in milliseconds, 0 for none
-- ARGV[5]  the most sessions the user may hold, at least 1
-- ARGV[6..] the fields: name, JSON value, name, JSON value, ...
--
-- The session's TTL is the idle timeout, cut to its lifetime. The index keeps the invariant that
-- every live session of the user is in it with its exact expiry, and it outlives them all.
--
-- Returns  (ScriptOutputType.MULTI: List<Long>) {created, expires, evicted}: creation and expiry
--          times in ms since the epoch (Redis clock), and how many older sessions were evicted
local t = redis.call('TIME')
local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
local now = math.floor(now_us / 1000)
local idle = tonumber(ARGV[3])
local lifetime = tonumber(ARGV[4])
local ttl = idle
local deadline = 0
if lifetime > 0 then
  deadline = now + lifetime
  if lifetime < ttl then
    ttl = lifetime
  end
end
local expires = now + ttl

redis.call('HSET', KEYS[1], '@user', ARGV[2], '@created', string.format('%.0f', now),
  '@deadline', string.format('%.0f', deadline))
for i = 6, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[1], ttl)

-- forget expired sessions (a key is alive while now <= its expiry), then make room
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. string.format('%.0f', now_us))
local most = tonumber(ARGV[5])
local held = redis.call('ZCARD', KEYS[2])
local evicted = 0
if held >= most then
  local prefix = string.sub(KEYS[1], 1, #KEYS[1] - #ARGV[1])
  local victims = redis.call('ZRANGE', KEYS[2], 0, held - most)
  for _, victim in ipairs(victims) do
    redis.call('DEL', prefix .. victim)
    redis.call('ZREM', KEYS[2], victim)
  end
  evicted = #victims
end
redis.call('ZADD', KEYS[2], string.format('%.0f', now_us + ttl * 1000), ARGV[1])
if redis.call('PTTL', KEYS[2]) < ttl then
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return {now, expires, evicted}
