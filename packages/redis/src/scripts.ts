/** Lua run by Redis atomically: the revision check and write of RedisStateStore, the lease steps of RedisLeaseProvider. */
import { createHash } from 'node:crypto'

/**
 * KEYS[1] state hash, KEYS[2] change channel; ARGV body, expected revision ('' = none), write id
 * (no spaces), channel message. Returns {1, rev} or {0, rev}; a key of another type fails with WRONGTYPE.
 */
export const SAVE = `
local cur = redis.call('HMGET', KEYS[1], 'format', 'rev', 'w')
if cur[1] and cur[1] ~= '1' then return redis.error_reply('PEPPERPY_NEWER ' .. cur[1]) end
local rev = tonumber(cur[2] or '0') or 0
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= rev then return {0, rev} end
local w = cur[3] or ''
if ARGV[3] ~= '' then
  w = w == '' and ARGV[3] or (w .. ' ' .. ARGV[3])
  local n = select(2, string.gsub(w, ' ', ''))
  if n >= 64 then w = string.sub(w, string.find(w, ' ', 1, true) + 1) end
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
