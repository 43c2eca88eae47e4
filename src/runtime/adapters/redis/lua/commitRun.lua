--[[
  Commits a run transition computed from the record as it was at ARGV[1], '<version>:<updatedAt>'
  (optimistic concurrency). If another transition committed since, or appended events moved updatedAt,
  nothing is written and the caller computes again from the record this returns. The counter changes
  come computed from the record read and the new one, which the check makes exact.

  KEYS[1] run hash          KEYS[2] run's event stream
  KEYS[3] flow's index of the run's current status      KEYS[4] of its new status
  KEYS[5] flow's index of completed runs                KEYS[6] of failed, canceled and stalled runs
  KEYS[7] index of all runs in the current status       KEYS[8] in the new status
  KEYS[9] run counts        KEYS[10] minutes with figures
  ARGV[1] expected '<version>:<updatedAt>'              ARGV[2] new record JSON
  ARGV[3] new updatedAt     ARGV[4] createdAt (index score)
  ARGV[5] finished class of the new status ('completed', 'failed', or '' while running)
  ARGV[6] finishedAt (its score in that class's index)  ARGV[7] events kept per run
  ARGV[8] event timestamp   ARGV[9..] the counter changes (see applyRunStats), then event JSONs

  Returns nil for a vanished run; { 'conflict', record, updatedAt, version } on a conflict; else
  { updatedAt, version, event ids... }.
]]
local current = redis.call('HMGET', KEYS[1], 'version', 'updatedAt', 'member', 'record')
if not current[1] then
  return false
end
if current[1] .. ':' .. current[2] ~= ARGV[1] then
  return { 'conflict', current[4], current[2], current[1] }
end

-- Appended events move updatedAt without a new version, so a transition computed before them must
-- not move it back.
local updatedAt = ARGV[3]
if tonumber(current[2]) > tonumber(updatedAt) then
  updatedAt = current[2]
end
redis.call('HSET', KEYS[1], 'record', ARGV[2], 'updatedAt', updatedAt)
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)

-- Only a change of status moves the run between indexes: most commits (a step of a running run) touch
-- none.
if KEYS[3] ~= KEYS[4] then
  for _, move in ipairs({ { KEYS[3], KEYS[4] }, { KEYS[7], KEYS[8] } }) do
    redis.call('ZREM', move[1], current[3])
    redis.call('ZADD', move[2], ARGV[4], current[3])
  end
  indexFinished(current[3], ARGV[5], ARGV[6], KEYS[5], KEYS[6])
end

local firstEvent = applyRunStats(KEYS[9], KEYS[10], 9)
return appendRunEvents({ updatedAt, version }, KEYS[2], ARGV[7], ARGV[8], firstEvent)
