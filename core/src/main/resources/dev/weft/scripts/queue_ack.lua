-- Acknowledge one delivery of a reliable queue: remove the item for good, if that delivery's lease
-- is still current.
--
-- KEYS[1]  the leases, weft:q:{<name>}:leases: ids in flight scored by lease deadline (ms)
-- KEYS[2]  the items, weft:q:{<name>}:items: a hash of message id -> payload
-- KEYS[3]  the deliveries, weft:q:{<name>}:deliveries: a hash of message id -> times delivered
-- ARGV[1]  the message id
-- ARGV[2]  the delivery count of the delivery being acknowledged
--
-- Returns  1 if acknowledged, 0 if the lease had expired (by Redis's clock), the item was taken
--          again since (a later delivery), or it is gone (ScriptOutputType.INTEGER: Long)
local deadline = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not deadline then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(deadline) <= now or redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
