-- Read an entry together with its remaining lifetime, for stale-while-revalidate and early
-- refresh (plain reads use GET).
--
-- KEYS[1]  the entry's key
--
-- Returns  an array (ScriptOutputType.MULTI: List<Object>): {value, pttl} where value is the
--          JSON bytes and pttl the remaining time to live in milliseconds (integer); or an empty
--          array when the key holds no entry: absent, or a load's lease marker (a value starting
--          with '~', see cache_lease.lua).
local value = redis.call('GET', KEYS[1])
if not value or string.byte(value, 1) == 126 then
  return {}
end
return {value, redis.call('PTTL', KEYS[1])}
