--[[
  Removes every key of a scope's state, and its index. One script, so a key set meanwhile is either
  removed with the rest or kept with its index, never left with no index to find it by.

  KEYS[1] the scope's index
]]
dropState(KEYS[1])
