--[[
  Commits a run transition computed from the record at version ARGV[1] (optimistic concurrency): if
  another transition committed since, nothing is written and the caller computes again.

  KEYS[1] run hash          KEYS[2] run's event stream
  KEYS[3] index of the run's current status             KEYS[4] index of its new status
  ARGV[1] expected version  ARGV[2] new record JSON       ARGV[3] new updatedAt
  ARGV[4] createdAt (index score)                       ARGV[5] event timestamp   ARGV[6..] event JSONs

  Returns nil on a conflict (or a vanished run), else { updatedAt, event ids... }.
]]
local current = redis.call('HMGET', KEYS[1], 'version', 'updatedAt', 'member')
if current[1] ~= ARGV[1] then
  return false
end

-- Appended events move updatedAt without a new version, so a transition computed before them must
-- not move it back.
local updatedAt = ARGV[3]
if tonumber(current[2]) > tonumber(updatedAt) then
  updatedAt = current[2]
end
redis.call('HSET', KEYS[1], 'record', ARGV[2], 'updatedAt', updatedAt)
redis.call('HINCRBY', KEYS[1], 'version', 1)

if KEYS[3] ~= KEYS[4] then
  redis.call('ZREM', KEYS[3], current[3])
  redis.call('ZADD', KEYS[4], ARGV[4], current[3])
end

local reply = { updatedAt }
for i = 6, #ARGV do
  reply[#reply + 1] = redis.call('XADD', KEYS[2], '*', 'event', ARGV[i], 'ts', ARGV[5])
end
return reply
