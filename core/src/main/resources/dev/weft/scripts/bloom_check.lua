-- Ask a Bloom filter about items: is each one's every bit set?
--
-- KEYS[1]  the filter's bitmap, weft:bloom:{<name>}:<m>:<k>
-- ARGV[1]  k, the number of bits per item
-- ARGV[2..] bit positions, k per item (decimal, each below m), item after item
--
-- Returns  (ScriptOutputType.MULTI: List<Long>) one number per item, in order: 1 if all of its
--          bits are set (the item might have been added), 0 if one is clear (it was not). A
--          missing bitmap reads as all clear.
local k = tonumber(ARGV[1])
local answers = {}
local i = 2
while i <= #ARGV do
  local present = 1
  for j = i, i + k - 1 do
    if redis.call('GETBIT', KEYS[1], ARGV[j]) == 0 then
      present = 0
      break
    end
  end
  answers[#answers + 1] = present
  i = i + k
end
return answers
