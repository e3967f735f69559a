-- Return the expired leases of a reliable queue to its head (or to the dead letters), then, if
-- asked, take the next item and lease it, all in one step on Redis's clock.
--
-- KEYS[1]  the ready list, weft:q:{<name>}:ready: message ids, pushed on the left, taken from the
--          right
-- KEYS[2]  the leases, weft:q:{<name>}:leases: a sorted set of the ids in flight, scored by their
--          lease deadline (Redis time, ms)
-- KEYS[3]  the items, weft:q:{<name>}:items: a hash of message id -> payload
-- KEYS[4]  the deliveries, weft:q:{<name>}:deliveries: a hash of message id -> times delivered
-- KEYS[5]  the dead letters, weft:q:{<name>}:dead: a list of payloads, newest on the left
-- ARGV[1]  1 to take an item after the sweep, 0 to only sweep
-- ARGV[2]  the visibility timeout in ms: how long a taken item stays leased
-- ARGV[3]  deliveries after which an expired item goes to the dead letters instead; 0 for never
-- ARGV[4]  how many dead letters are kept (the oldest are dropped)
-- ARGV[5]  the most expired leases returned in one call
-- ARGV[6]  the change channel, on which takers wait for the ready list's key
--
-- Returns  (ScriptOutputType.MULTI: List<Object>)
--          taken:     {1, id, delivery count, lease deadline ms, payload}
--          otherwise: {0, ms until the next lease expires or -1 if none, requeued, dead-lettered}
--          (numbers as Long, id and payload as bytes)
--
-- The PUBLISH is only a notification and runs with redis.pcall: when Redis refuses it (NOPERM, an
-- ACL user without the channel's permission) the write stands and its result is returned as
-- usual; the runtime reports once that notifications are off, and waiters poll instead.
local ready, leases, items, deliveries, dead = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max = tonumber(ARGV[3])

local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))
local requeued, buried = 0, 0
-- latest deadline first, so that the earliest expired ends up at the right end, taken next
for i = #expired, 1, -1 do
  local id = expired[i]
  redis.call('ZREM', leases, id)
  local n = tonumber(redis.call('HGET', deliveries, id) or '0')
  local payload = redis.call('HGET', items, id)
  if not payload then
    redis.call('HDEL', deliveries, id)
  elseif max > 0 and n >= max then
    redis.call('LPUSH', dead, payload)
    redis.call('LTRIM', dead, 0, tonumber(ARGV[4]) - 1)
    redis.call('HDEL', items, id)
    redis.call('HDEL', deliveries, id)
    buried = buried + 1
  else
    redis.call('RPUSH', ready, id)
    requeued = requeued + 1
  end
end
if requeued > 0 then
  redis.pcall('PUBLISH', ARGV[6], ready)
end

if ARGV[1] == '1' then
  while true do
    local id = redis.call('RPOP', ready)
    if not id then
      break
    end
    local payload = redis.call('HGET', items, id)
    if payload then
      local n = redis.call('HINCRBY', deliveries, id, 1)
      local deadline = now + tonumber(ARGV[2])
      redis.call('ZADD', leases, deadline, id)
      return {1, id, n, deadline, payload}
    end
    -- an id without an item (removed meanwhile): drop it and look further
    redis.call('HDEL', deliveries, id)
  end
end

local next = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
local wait = -1
if next[2] then
  wait = math.max(0, tonumber(next[2]) - now)
end
return {0, wait, requeued, buried}
