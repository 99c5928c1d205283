// The `fideliza` command line: start, migrate, create-site, create-user.
import { parseArgs } from 'node:util';
import { createStaffUser, InvalidUserError, roles } from './auth/index.ts';
import { type Config, ConfigError, loadConfig } from './config/index.ts';
import { type Db, migrateToLatest, openDatabase } from './db/index.ts';
import { type DemoSetup, setupDemo } from './demo/index.ts';
import { startServer } from './http/server.ts';
import { progressLine, rebuild } from './profiles/index.ts';
import { refreshDue, runBaskets } from './recommend/index.ts';
import { createSite, listSites } from './sites/index.ts';

const USAGE = `usage: fideliza <command> [options]

commands:
  start [--demo]                      migrate, then serve (--demo: create a demo site on first start)
  migrate                             bring the database schema up to date
  create-site --name N --origin URL... [--json]
                                      create a site; prints its write key and secret key (shown once)
  create-user --email E --role admin|marketer|agent|validator [--site ID...]
                                      create a staff user; prints a generated password (shown once)
  rebuild [--site ID]                 rebuild profiles, orders and products from the event log (progress on stderr)
  baskets rules|evaluate --input FILE ...
                                      association rules and recommender hit rate on a basket file (fideliza baskets)

environment: PORT (8787), HOST (0.0.0.0), DATABASE_URL (Postgres; PGlite in DATA_DIR when unset),
             DATA_DIR (./data), TRUST_PROXY (false), RATE_LIMIT_RPS (1000), RATE_LIMIT_BURST (5000)`;

class UsageError extends Error {}

async function withDatabase<T>(config: Config, run: (db: Db, applied: string[]) => Promise<T>): Promise<T> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  try {
    const applied = await migrateToLatest(db.kysely);
    return await run(db, applied);
  } finally {
    await db.close();
  }
}

/** What the newcomer needs after `start --demo`: where to look, how to log in, the keys. */
function demoBanner(setup: DemoSetup, base: string): string {
  const lines = [`\ndemo shop:  ${base}/demo/`, `dashboard:  ${base}/dashboard/`];
  if (!setup.created) {
    lines.push(
      `demo site ${setup.siteId}, write key ${setup.writeKey}`,
      setup.complete
        ? '(the admin login and secret key were printed on the first start)'
        : 'the first start was interrupted before the demo was complete: stop, delete the data, start again',
    );
    return lines.join('\n');
  }
  const admin = setup.staff.find((s) => s.role === 'admin');
  const e = setup.events;
  lines.push(
    `admin login: ${admin?.email}  password: ${admin?.password}   (shown once)`,
    `other staff: ${setup.staff
      .filter((s) => s.role !== 'admin')
      .map((s) => `${s.email} / ${s.password}`)
      .join(', ')}`,
    `demo site ${setup.siteId}`,
    `  write key:  ${setup.writeKey}`,
    `  secret key: ${setup.secretKey}   (shown once; keep it)`,
    `generated ${e.events.toLocaleString('en')} events (${e.visitors} visitors, ${e.orders} orders, ${e.refunds} refunds), ` +
      `${setup.support.chats} chats, ${Object.values(setup.support.complaints).reduce((a, b) => a + b, 0)} complaints, ` +
      `${setup.support.surveyResponses} survey answers in ${Math.round(setup.elapsedMs / 1000)} s; ` +
      'profiles are built from them in the background',
  );
  return lines.join('\n');
}

async function start(config: Config, demo: boolean): Promise<void> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  const applied = await migrateToLatest(db.kysely);
  if (applied.length > 0) console.log(`migrated: ${applied.join(', ')}`);
  // On a terminal the progress line rewrites itself; in a log every line stays.
  const tty = process.stderr.isTTY;
  const setup = demo
    ? await setupDemo(db, {
        port: config.PORT,
        onProgress: (line) => process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`),
      })
    : undefined;
  if (setup?.created && tty) process.stderr.write('\n');
  const server = await startServer(config, db, { demo });
  const where = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  console.log(
    `Fideliza is listening on http://${where}:${server.port} (${db.dialect === 'pglite' ? `PGlite in ${config.DATA_DIR}` : 'Postgres'})`,
  );
  if (setup) console.log(demoBanner(setup, `http://${where}:${server.port}`));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      console.log(`${signal}: finishing in-flight requests…`);
      server.stop().then(
        () => process.exit(0),
        (e) => {
          console.error('shutdown failed:', e);
          process.exit(1);
        },
      );
    });
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  // Pure computation on a file: it needs neither the configuration nor the database.
  if (command === 'baskets') {
    process.exitCode = await runBaskets(rest, { stdout: process.stdout, stderr: process.stderr });
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'start': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean', default: false } } });
      return start(config, values.demo ?? false);
    }
    case 'migrate': {
      const applied = await withDatabase(config, async (_db, applied) => applied);
      console.log(applied.length ? `applied ${applied.join(', ')}` : 'schema is up to date');
      return;
    }
    case 'create-site': {
      const { values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          origin: { type: 'string', multiple: true, default: [] },
          json: { type: 'boolean', default: false },
        },
      });
      if (!values.name) throw new UsageError('create-site needs --name');
      const name = values.name;
      const origins = values.origin ?? [];
      for (const o of origins) {
        try {
          new URL(o);
        } catch {
          throw new UsageError(`--origin ${o} is not a URL (expected e.g. https://shop.example)`);
        }
      }
      const site = await withDatabase(config, (db) => createSite(db.kysely, { name, origins }));
      if (values.json) console.log(JSON.stringify(site));
      else
        console.log(
          `site ${site.siteId}\n  write key:  ${site.writeKey}\n  secret key: ${site.secretKey}   (shown once)`,
        );
      return;
    }
    case 'create-user': {
      const { values } = parseArgs({
        args: rest,
        options: {
          email: { type: 'string' },
          role: { type: 'string' },
          site: { type: 'string', multiple: true },
          json: { type: 'boolean', default: false },
        },
      });
      if (!values.email) throw new UsageError('create-user needs --email');
      const role = roles.find((r) => r === values.role);
      if (!role) throw new UsageError(`create-user needs --role, one of ${roles.join(', ')}`);
      const email = values.email;
      const user = await withDatabase(config, (db) =>
        createStaffUser(db.kysely, { email, role, ...(values.site ? { siteIds: values.site } : {}) }),
      );
      if (values.json) console.log(JSON.stringify(user));
      else
        console.log(
          `user ${user.email} (${role} on ${user.siteIds.length} site(s))\n  password: ${user.password}   (shown once)`,
        );
      return;
    }
    case 'rebuild': {
      const { values } = parseArgs({ args: rest, options: { site: { type: 'string' } } });
      const siteId = values.site;
      const started = Date.now();
      const events = await withDatabase(config, async (db) => {
        if (siteId && !(await listSites(db.kysely)).some((s) => s.siteId === siteId)) {
          throw new UsageError(`rebuild --site: no site ${siteId}`);
        }
        const projected = await rebuild(db.kysely, {
          ...(siteId ? { siteId } : {}),
          onProgress: (p) => process.stderr.write(`\r${progressLine(p, Date.now() - started)}`),
        });
        // The rebuilt orders and views, in the recommendation tables now rather than at the server's next refresh.
        await refreshDue(db.kysely, siteId ? { siteIds: [siteId] } : {});
        return projected;
      });
      process.stderr.write('\n');
      console.log(`rebuilt ${siteId ? `site ${siteId}` : 'all sites'} from ${events} events`);
      return;
    }
    default:
      throw new UsageError(command ? `unknown command: ${command}` : 'no command given');
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else if (error instanceof ConfigError || error instanceof InvalidUserError) console.error(error.message);
  else if (error instanceof Error && error.name === 'ZodError') console.error(`invalid input: ${error.message}`);
  else console.error(error);
  process.exit(error instanceof UsageError || error instanceof ConfigError ? 2 : 1);
});
