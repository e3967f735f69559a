-- Give up a load's lease: remove the lease marker if the key still holds it (the load failed or
-- its result is not cached). A value or another load's marker is left alone.
--
-- KEYS[1]  the entry's key
-- ARGV[1]  the lease marker (see cache_lease.lua)
--
-- Returns  1 if the marker was removed, else 0 (ScriptOutputType.INTEGER: Long).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
