-- Write-behind: store a cache entry and queue it for persisting, in one step.
--
-- The entry is written exactly as cache_store.lua writes one (JSON string at its key, PX, the key
-- PUBLISHed on the change channel), so @Cached and WeftCache readers see it at once and near
-- caches drop their copies. In the same script the write is appended to the write-behind stream
-- and recorded as its key's newest write, so Redis holds both or neither.
--
-- KEYS[1]  the entry's key (string)
-- KEYS[2]  the write-behind stream, weft:wb:{<name>}
-- KEYS[3]  the newest-write hash, weft:wb:{<name>}:latest (entry key -> stream id of its newest
--          write not yet persisted)
-- ARGV[1]  the value, JSON bytes
-- ARGV[2]  the entry's time to live in milliseconds, a positive integer
-- ARGV[3]  the change channel
-- ARGV[4]  the stream entry's payload: {"key": <entry key>, "value": <the value's JSON as text>}
-- ARGV[5]  the backlog limit: the most entries the stream may hold (written, not yet persisted)
--
-- Returns  the new stream entry's id, which is the write's version (ScriptOutputType.VALUE:
--          byte[]); an error reply, with nothing written, when the backlog is full or a key
--          has the wrong type.
--
-- Everything that can fail is checked before the first write: a script is not rolled back when
-- a command fails half way, so the checks are what makes it all-or-nothing.
--
-- The PUBLISH is only a notification and runs with redis.pcall: when Redis refuses it (NOPERM, an
-- ACL user without the channel's permission) the write stands and its result is returned as
-- usual; the runtime reports once that notifications are off, and waiters poll instead.
local ttl = tonumber(ARGV[2])
if not ttl or ttl <= 0 then
  return redis.error_reply('ERR weft writebehind_write: time to live must be a positive integer, got ' .. tostring(ARGV[2]))
end
local streamType = redis.call('TYPE', KEYS[2])['ok']
if streamType ~= 'none' and streamType ~= 'stream' then
  return redis.error_reply('WRONGTYPE weft writebehind_write: ' .. KEYS[2] .. ' is a ' .. streamType .. ', not a stream')
end
local latestType = redis.call('TYPE', KEYS[3])['ok']
if latestType ~= 'none' and latestType ~= 'hash' then
  return redis.error_reply('WRONGTYPE weft writebehind_write: ' .. KEYS[3] .. ' is a ' .. latestType .. ', not a hash')
end
local backlog = redis.call('XLEN', KEYS[2])
if backlog >= tonumber(ARGV[5]) then
  return redis.error_reply('ERR weft write-behind ' .. KEYS[2] .. ' is full: ' .. backlog
    .. ' writes wait to be persisted (maxBacklog). The write is refused, not queued, so that no'
    .. ' accepted write is ever trimmed away; the persister is failing or too slow')
end
local id = redis.call('XADD', KEYS[2], '*', 'payload', ARGV[4])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('HSET', KEYS[3], KEYS[1], id)
redis.pcall('PUBLISH', ARGV[3], KEYS[1])
return id
