// A PostgreSQL server of the tests' own, as crates/pgtest makes it for the
// server's tests: Debian's binaries (`make tools-postgres`), a cluster made
// in a temporary folder with initdb, started with pg_ctl on a Unix socket
// in that folder and no TCP port. No system service is used or touched.
//
// initdb refuses to run as root: as root, PostgreSQL's commands run as the
// unprivileged `postgres` user the package creates, which then owns the
// folder. A watchdog stops the server and removes the folder if the test
// process dies without stopping it.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The newest installed PostgreSQL's binaries, or undefined. */
function binaries() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin/initdb')))
    .sort((a, b) => a - b)
    .map((v) => join(root, v, 'bin'))
    .pop();
}

/** The user and group ids of `postgres`, who runs the server for root. */
function postgresUser() {
  try {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('the tests run as root and there is no postgres user to run PostgreSQL as (Debian\'s postgresql package creates it: `make tools-postgres`)');
  }
}

/**
 * Makes and starts a cluster in a new temporary folder; throws, saying
 * why, if PostgreSQL is not installed or does not start: `{ dir,
 * url(name), createDatabase(name), psql(db, sql), stop() }`.
 */
export function startCluster() {
  const bin = binaries();
  if (!bin) {
    throw new Error('PostgreSQL is not installed: run `make tools-postgres` (Debian\'s postgresql package, /usr/lib/postgresql/*/bin)');
  }
  const asPostgres = process.getuid() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'xxgk-pg-'));
  if (asPostgres) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const run = (program, args) => {
    const [command, all] = asPostgres
      ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]]
      : [join(bin, program), args];
    try {
      return execFileSync(command, all, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8') : '';
      throw new Error(`PostgreSQL's ${program} failed: ${e.stderr}${e.stdout}\n${serverLog}`);
    }
  };
  // Watched from the start: a test process killed during initdb or
  // pg_ctl start leaves no folder and no server either. Its own session,
  // so that a signal to the test runner's process group does not stop it
  // first.
  const pgCtl = `${asPostgres ? 'runuser -u postgres -- ' : ''}'${join(bin, 'pg_ctl')}'`;
  spawn('setsid', ['sh', '-c',
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
    `${pgCtl} -D '${data}' -m immediate stop >/dev/null 2>&1; rm -rf '${dir}'`],
  { detached: true, stdio: 'ignore' }).unref();

  const cluster = {
    dir,
    /** A connection URL for the database `name` as the `postgres` user. */
    url: (name) => `postgresql:///${name}?host=${dir}&user=postgres`,
    /** Runs `sql` in the database `db`; what psql printed, unaligned, without headers. */
    psql: (db, sql) => execFileSync(join(bin, 'psql'),
      ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-U', 'postgres', '-d', db, '-c', sql],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(),
    /** Creates the empty database `name` (letters, digits and _) and gives its URL. */
    createDatabase: (name) => {
      if (!/^\w+$/.test(name)) throw new Error(`a database name of letters, digits and _: ${name}`);
      cluster.psql('postgres', `CREATE DATABASE ${name}`);
      return cluster.url(name);
    },
    /** Stops the server at once and removes the folder. */
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    run('pg_ctl', ['-D', data, '-l', log, '-w', '-o',
      `-c listen_addresses='' -c unix_socket_directories='${dir}' -c fsync=off`, 'start']);
  } catch (e) {
    try {
      cluster.stop();
    } catch {}
    throw e;
  }
  return cluster;
}
