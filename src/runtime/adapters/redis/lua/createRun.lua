--[[
  Creates a run: its record, its place in the flow's and the global indexes, its counts and its first
  events, all or nothing.

  KEYS[1] run hash          KEYS[2] run's event stream   KEYS[3] flow's run index
  KEYS[4] flow's index of runs in the run's status       KEYS[5] run sequence counter
  KEYS[6] flow names set    KEYS[7] flow's index of completed runs
  KEYS[8] flow's index of failed, canceled and stalled runs
  KEYS[9] index of all runs KEYS[10] index of all runs in the run's status
  KEYS[11] id index         KEYS[12] run counts          KEYS[13] minutes with figures
  ARGV[1] record JSON       ARGV[2] updatedAt             ARGV[3] createdAt (index score)
  ARGV[4] run id            ARGV[5] flow name
  ARGV[6] finished class of its status ('completed', 'failed', or '' while running)
  ARGV[7] finishedAt (its score in that class's index)  ARGV[8] events kept per run
  ARGV[9] event timestamp   ARGV[10..] the counter changes (see applyRunStats), then event JSONs

  Returns nil if the run exists, else the ids of the appended events.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return false
end

-- Index members start with a fixed-width creation sequence: runs created in the same millisecond
-- (equal scores) then sort by creation, since Redis orders equal scores by member.
local sequence = redis.call('INCR', KEYS[5])
local member = string.format('%016d', sequence) .. ':' .. ARGV[4]

redis.call('HSET', KEYS[1], 'record', ARGV[1], 'updatedAt', ARGV[2], 'version', 1, 'member', member)
for _, index in ipairs({ KEYS[3], KEYS[4], KEYS[9], KEYS[10] }) do
  redis.call('ZADD', index, ARGV[3], member)
end
redis.call('ZADD', KEYS[11], 0, idEntry(member))
redis.call('SADD', KEYS[6], ARGV[5])
-- A new member is in no index yet: only a run created finished needs one.
if ARGV[6] ~= '' then
  indexFinished(member, ARGV[6], ARGV[7], KEYS[7], KEYS[8])
end

local firstEvent = applyRunStats(KEYS[12], KEYS[13], 10)
return appendRunEvents({}, KEYS[2], ARGV[8], ARGV[9], firstEvent)
