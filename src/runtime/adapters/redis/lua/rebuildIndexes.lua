--[[
  Builds the global run indexes and the run counts from the flows' status indexes, once: for runs
  written before these existed (the scripts keep them from then on). It runs when a store opens; the
  version key makes later openings, and a second instance opening at the same time, do nothing. Being
  one script, no run changes while it counts, and it rebuilds from scratch, so nothing is counted twice.
  The minutes' history starts empty: past starts and ends are not known.

  The flows' status indexes and the run hashes are found from the prefix, as store-keys.ts builds them.

  KEYS[1] index version     KEYS[2] flow names set       KEYS[3] index of all runs
  KEYS[4] id index          KEYS[5] run counts
  KEYS[6..] for each status in ARGV[3..], the index of all runs in it
  ARGV[1] key prefix        ARGV[2] the version these indexes are at
  ARGV[3..] every run status

  Returns how many runs it indexed, or -1 when the indexes were already built.
]]
if redis.call('GET', KEYS[1]) == ARGV[2] then
  return -1
end
local prefix = ARGV[1]
redis.call('DEL', unpack(KEYS, 3))

-- Running with a step paused on an await, as `isAwaiting` in adapters/shared/run-stats.ts decides.
local function isAwaiting(member)
  local run = cjson.decode(redis.call('HGET', prefix .. ':run:' .. string.sub(member, 18), 'record'))
  for _, step in pairs(run.steps) do
    if step.status == 'awaiting' then
      return true
    end
  end
  return false
end

local indexed = 0
for _, flow in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  for s = 3, #ARGV do
    local status, statusIndex = ARGV[s], prefix .. ':status-runs:' .. ARGV[s] .. ':' .. flow
    local size, awaiting = redis.call('ZCARD', statusIndex), 0
    -- In chunks: unpack() takes a bounded number of values.
    for first = 0, size - 1, 1000 do
      local entries = redis.call('ZRANGE', statusIndex, first, first + 999, 'WITHSCORES')
      local scored, ids = {}, {}
      for i = 1, #entries, 2 do
        scored[i], scored[i + 1] = entries[i + 1], entries[i]
        ids[i], ids[i + 1] = 0, idEntry(entries[i])
        if status == 'running' and isAwaiting(entries[i]) then
          awaiting = awaiting + 1
        end
      end
      redis.call('ZADD', KEYS[3], unpack(scored))
      redis.call('ZADD', KEYS[6 + s - 3], unpack(scored))
      redis.call('ZADD', KEYS[4], unpack(ids))
    end
    if size > 0 then
      redis.call('HSET', KEYS[5], flow .. '\0' .. status, size)
    end
    if awaiting > 0 then
      redis.call('HSET', KEYS[5], flow .. '\0awaiting', awaiting)
    end
    indexed = indexed + size
  end
end
redis.call('SET', KEYS[1], ARGV[2])
return indexed
