-- Delete one entry and announce the change (near caches drop their copy).
--
-- KEYS[1]  the entry's key
-- ARGV[1]  the change channel
--
-- Returns  the number of keys removed, 0 or 1 (ScriptOutputType.INTEGER: Long).
local removed = redis.call('UNLINK', KEYS[1])
redis.call('PUBLISH', ARGV[1], KEYS[1])
return removed
