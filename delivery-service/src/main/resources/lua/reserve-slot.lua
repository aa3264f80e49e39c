-- KEYS[1] the sender's rate key; ARGV interval (us), burst, max wait (us). Needs reserve.lua before it.
local granted, wait = reserve(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
return {granted, wait}
