-- Take a load's lease on an entry (memcache leases, Nishtala et al., NSDI 2013, section 3.2.1):
-- unless the key holds a real value, put this load's lease marker there, so that an invalidation
-- (which removes whatever the key holds) or a write-through (which replaces it) during the load
-- makes the load's conditional store (cache_store.lua with ARGV[4]) refuse.
--
-- KEYS[1]  the entry's key
-- ARGV[1]  the lease marker: '~' (a byte no JSON text starts with) then a token unique to the load
-- ARGV[2]  the marker's time to live in milliseconds, a positive integer
--
-- Returns  the entry's value when the key holds one (ScriptOutputType.VALUE: byte[]), the lease is
--          then not taken; else nil (null), the key now holding ARGV[1]. Another load's marker is
--          replaced: the newest load holds the lease.
local value = redis.call('GET', KEYS[1])
if value and string.byte(value, 1) ~= 126 then
  return value
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
