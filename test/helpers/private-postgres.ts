/**
 * A private PostgreSQL server on its own port, for tests that restart the backend. It runs as the
 * `postgres` system user (the server refuses root) from a throwaway data directory.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'

const BIN = '/usr/lib/postgresql/15/bin'

export interface PrivatePostgres {
  url: string
  restart(): void
  /** Shuts the server down (fast mode: every client connection is terminated); `start` brings it back. */
  stop(): void
  start(): void
  remove(): void
}

/** Why such a server cannot run here, or undefined. Under CI a missing server binary fails. */
export function privatePostgresUnavailable(): string | undefined {
  if (existsSync(join(BIN, 'pg_ctl')) && spawnSync('id', ['postgres']).status === 0)
    return undefined
  if (process.env.CI)
    throw new Error(`PostgreSQL 15 binaries or the postgres user are missing (CI=true: the reconnect tests must run)`)
  return 'PostgreSQL 15 server binaries are not installed'
}

export function startPrivatePostgres(port: number): PrivatePostgres {
  const dir = mkdtempSync(join(tmpdir(), 'nvent-pg-'))
  execFileSync('chown', ['postgres:postgres', dir])
  const asPostgres = (command: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args], { stdio: 'pipe' })
  asPostgres('initdb', ['-D', dir, '--auth=trust', '-U', 'postgres'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const pgCtl = (...args: string[]) => asPostgres('pg_ctl', [...args, '-D', dir, '-w'])
  const serve = ['-o', options, '-l', join(dir, 'server.log')]
  const start = () => { pgCtl('start', ...serve) }
  start()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    // Fast mode terminates every client connection, as a crash or a failover would.
    restart: () => { pgCtl('restart', '-m', 'fast', ...serve) },
    stop: () => { pgCtl('stop', '-m', 'fast') },
    start,
    remove() {
      spawnSync('runuser', ['-u', 'postgres', '--', join(BIN, 'pg_ctl'), 'stop', '-D', dir, '-m', 'immediate'])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
