/** A held lease: exclusive for its name across the fleet until released or lost. */
export interface Lease {
  /** The lease name (for a leader plugin: its pluginId). */
  readonly name: string
  /** Fencing token: strictly increasing across every holder of this name; stamp writes with it. */
  readonly token: number
  /** Aborted when the lease is lost (renewal refused or not confirmed in time), before another holder can get it. */
  readonly lost: AbortSignal
  /** Gives the lease up (idempotent). */
  release(): Promise<void>
}

/** Options of {@link LeaseProvider.acquire}. */
export interface AcquireLeaseOptions {
  /** Stops waiting (the promise rejects with the signal's reason). */
  signal?: AbortSignal
}

/** Grants leases (implemented by RedisLeaseProvider in @pepperpy/redis); used for `leader: true` plugins. */
export interface LeaseProvider {
  /** Waits until this process holds the lease `name`, then keeps it renewed until released or lost. */
  acquire(name: string, options?: AcquireLeaseOptions): Promise<Lease>
  /** The time to live of a lease: how long a dead holder blocks the others at most. */
  readonly ttlMs: number
}
