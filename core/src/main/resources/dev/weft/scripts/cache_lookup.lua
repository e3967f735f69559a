-- Cache-aside read.
--
-- KEYS[1]  the entry's key
--
-- Returns  the stored value as a bulk string (ScriptOutputType.VALUE: byte[]),
--          or nil (Lua false) when the entry is absent or expired.
return redis.call('GET', KEYS[1])
