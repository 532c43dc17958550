import type { BenchCase } from '../harness.js'
import { boot } from './boot.js'
import { bootUmbrella } from './boot-umbrella.js'
import { chain } from './chain.js'
import { coldStart } from './cold-start.js'
import { create } from './create.js'
import { discovery } from './discovery.js'
import { importCost } from './import-cost.js'
import { pool } from './pool.js'
import { reloadLatency } from './reload-latency.js'
import { redisState } from './redis-state.js'
import { reloadMemory } from './reload-memory.js'
import { resource } from './resource.js'
import { wide } from './wide.js'

/** Every case, in the order the table lists them. */
export const cases: BenchCase[] = [
  boot,
  bootUmbrella,
  chain,
  wide,
  discovery,
  create,
  resource,
  pool,
  reloadMemory,
  reloadLatency,
  importCost,
  coldStart,
  redisState,
]
