-- Add items to a Bloom filter: set each item's k bits, all items in one step.
--
-- KEYS[1]  the filter's bitmap, weft:bloom:{<name>}:<m>:<k> (a string used with SETBIT)
-- ARGV[1]  k, the number of bits per item
-- ARGV[2]  the filter's lifetime in milliseconds, counted from its creation; 0 for none
-- ARGV[3..] bit positions, k per item (decimal, each below m), item after item
--
-- The lifetime is set when the bitmap has none (it was just created by the first SETBIT), so
-- later adds never extend it: the filter holds what was added during one lifetime.
--
-- Returns  (ScriptOutputType.INTEGER: Long) how many of the items changed at least one bit, that
--          is, were certainly not in the filter before (an item given twice counts once at most)
local k = tonumber(ARGV[1])
local added = 0
local i = 3
while i <= #ARGV do
  local changed = false
  for j = i, i + k - 1 do
    if redis.call('SETBIT', KEYS[1], ARGV[j], 1) == 0 then
      changed = true
    end
  end
  if changed then
    added = added + 1
  end
  i = i + k
end
local lifetime = tonumber(ARGV[2])
if lifetime > 0 and redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], lifetime)
end
return added
