/** Lua run by Redis atomically: the revision check and write of RedisStateStore, the lease steps of RedisLeaseProvider. */
import { createHash } from 'node:crypto'

/** KEYS[1] state hash, KEYS[2] change channel; ARGV body, expected revision ('' = none), write id, channel message. Returns {1, rev} or {0, rev}. */
export const SAVE = `
local t = redis.call('TYPE', KEYS[1]).ok
if t ~= 'none' and t ~= 'hash' then return redis.error_reply('PEPPERPY_GARBAGE ' .. t) end
local f = tonumber(redis.call('HGET', KEYS[1], 'format') or '1')
if f == nil or f > 1 then return redis.error_reply('PEPPERPY_NEWER ' .. tostring(redis.call('HGET', KEYS[1], 'format'))) end
local rev = tonumber(redis.call('HGET', KEYS[1], 'rev') or '0') or 0
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= rev then return {0, rev} end
local w = redis.call('HGET', KEYS[1], 'w') or ''
if ARGV[3] ~= '' then
  local ids = {}
  for id in string.gmatch(w .. ' ' .. ARGV[3], '%S+') do ids[#ids + 1] = id end
  local first = math.max(1, #ids - 63)
  w = table.concat(ids, ' ', first, #ids)
end
redis.call('HSET', KEYS[1], 'format', '1', 'rev', rev + 1, 'body', ARGV[1], 'w', w)
redis.call('PUBLISH', KEYS[2], ARGV[4])
return {1, rev + 1}
`

/** KEYS[1] lease, KEYS[2] fencing counter; ARGV owner, ttl ms. Returns the new token, or false when held. */
export const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. token, 'PX', ARGV[2])
return token
`

/** KEYS[1] lease; ARGV holder ('owner token'), ttl ms. Returns 1 when renewed, 0 when the lease is someone else's or gone. */
export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
`

/** KEYS[1] lease; ARGV holder. Deletes the lease only when still held by this holder. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`

/** SHA-1 of {@link SAVE}, for EVALSHA. */
export const SAVE_SHA: string = createHash('sha1').update(SAVE).digest('hex')
