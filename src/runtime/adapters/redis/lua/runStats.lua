--[[
  The run counts and the figures of each minute since a given one, read in one script so they describe
  one moment.

  KEYS[1] run counts        KEYS[2] minutes with figures (each minute's hash is '<KEYS[2]>:<minute>')
  ARGV[1] first minute wanted (ms)

  Returns { counts as HGETALL gives them, { minute, its fields as HGETALL gives them, ... } }, oldest
  minute first. A minute whose hash expired is left out.
]]
local minutes = {}
for _, minute in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[1], '+inf')) do
  local fields = redis.call('HGETALL', KEYS[2] .. ':' .. minute)
  if #fields > 0 then
    minutes[#minutes + 1] = minute
    minutes[#minutes + 1] = fields
  end
end
return { redis.call('HGETALL', KEYS[1]), minutes }
