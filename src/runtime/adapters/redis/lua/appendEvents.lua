--[[
  Appends events that change no state (logs, state notes) and moves the run's updatedAt with them.
  The version stays: these never conflict with a transition.

  KEYS[1] run hash          KEYS[2] run's event stream
  ARGV[1] event timestamp, the new updatedAt            ARGV[2] events kept per run
  ARGV[3..] event JSONs

  Returns nil if the run does not exist, else the ids of the appended events.
]]
local updatedAt = redis.call('HGET', KEYS[1], 'updatedAt')
if not updatedAt then
  return false
end
if tonumber(ARGV[1]) > tonumber(updatedAt) then
  redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1])
end

return appendRunEvents({}, KEYS[2], ARGV[2], ARGV[1], 3)
