/**
 * The Lua scripts of tickwire's Redis side. Redis runs a script atomically, which is what
 * makes the lease a fence: the publish script checks the lease token and writes in the same
 * step, so a publisher that lost its lease (paused, partitioned) can never write again, even
 * if it does not know yet.
 */
import { luaScript } from './client'

/** KEYS[1] lease; ARGV token, ttl ms. 1 when renewed, 0 when the lease is someone else's. */
export const RENEW_LEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`)

/** KEYS[1] lease; ARGV token. Deletes the lease only when it is still ours. */
export const RELEASE_LEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

/**
 * KEYS lease, seq hash, latest hash. ARGV token, ts, count, then per move five values:
 * symbol, channel, delta data JSON, full data JSON, floor seq.
 *
 * Returns nil when the token does not hold the lease (nothing written), else the issued
 * seqs in move order. Each seq is HINCRBY + 1, raised past `floor` when Redis lost its
 * counters (a restart without persistence) so no symbol's seq ever goes back. Moves are
 * grouped per channel into one PUBLISH of a JSON array each.
 */
export const PUBLISH_MOVES = luaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
local ts = ARGV[2]
local count = tonumber(ARGV[3])
local groups, order, seqs = {}, {}, {}
for i = 0, count - 1 do
  local b = 4 + i * 5
  local symbol = ARGV[b]
  local seq = redis.call('HINCRBY', KEYS[2], symbol, 1)
  local floor = tonumber(ARGV[b + 4])
  if seq <= floor then
    seq = floor + 1
    redis.call('HSET', KEYS[2], symbol, seq)
  end
  local head = '{"symbol":' .. cjson.encode(symbol) .. ',"seq":' .. string.format('%d', seq)
    .. ',"ts":' .. ts .. ',"data":'
  redis.call('HSET', KEYS[3], symbol, head .. ARGV[b + 3] .. '}')
  local channel = ARGV[b + 1]
  local group = groups[channel]
  if not group then
    group = {}
    groups[channel] = group
    order[#order + 1] = channel
  end
  group[#group + 1] = head .. ARGV[b + 2] .. '}'
  seqs[#seqs + 1] = seq
end
for _, channel in ipairs(order) do
  redis.call('PUBLISH', channel, '[' .. table.concat(groups[channel], ',') .. ']')
end
return seqs
`)
