-- Record that an entry carries a tag.
--
-- The tag's index is a sorted set of entry keys scored by their expiry time (server clock), so
-- members whose entries have expired are pruned on every write: the index never holds more than
-- the tag's live entries, and it expires itself with its longest-lived member.
--
-- KEYS[1]  the tag's index (sorted set)
-- ARGV[1]  the entry's key
-- ARGV[2]  the entry's time to live in milliseconds, a positive integer
--
-- Returns  the index's size after the write (ScriptOutputType.INTEGER: Long).
local ttl = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return redis.call('ZCARD', KEYS[1])
