local function two() return 2 end
