-- timadmin's shared rate limit: one GCRA (generic cell rate algorithm) permit, decided
-- atomically on the Redis server's clock, so that processes with skewed clocks agree.
--
-- KEYS[1]  the limiter's key, timadmin:rl:{<sdkappid>}:<command>
-- ARGV[1]  the emission interval T in microseconds: the spacing of calls at the limit
-- ARGV[2]  the tolerance tau in microseconds: how long before its slot a call may go
--
-- The key holds the theoretical arrival time (TAT, microseconds since the epoch) of the next
-- call and expires when that time is reached: an absent key and a TAT in the past mean the
-- same thing, so nothing lingers.
--
-- Returns {1, 0} when the call may go now (and books its slot), or {0, w} when it may go in
-- w microseconds (nothing is stored: the caller sleeps and asks again).

-- Redis before 5.0 replicates scripts verbatim and refuses writes after TIME unless told to
-- replicate effects; later versions always do (and may not have the function).
if redis.replicate_commands then
    redis.replicate_commands()
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])

local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then
    tat = now
end

local allowed_at = tat - tolerance
if now < allowed_at then
    return {0, allowed_at - now}
end

local next_tat = tat + interval
-- '%.0f': the TAT is about 1.7e15, exact in a double but not in Lua's default '%.14g'.
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000))
return {1, 0}
