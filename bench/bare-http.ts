// The http benchmark's limit: node:http and pg with no framework, no validation, no tokens, no event
// store, started as its own process like the service it is compared with.
//   GET  /inbox  the health inbox page the service serves (same SQL, same parameters, JSON out)
//   POST /cases  reads the JSON body and makes it durable with one single-row INSERT (autocommit)
// Env: DATABASE_URL, BARE_SCHEMA (the health schema to read), BARE_TABLE (table to create and write), PORT.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DEMO_JURISDICTIONS } from '../libs/auth/src/domain/demo-jurisdictions.js';
import { JurisdictionTree } from '../libs/auth/src/domain/jurisdiction.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const inbox = `"${process.env.BARE_SCHEMA}".referral_inbox`;
const table = process.env.BARE_TABLE!;
await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (id uuid PRIMARY KEY, data jsonb NOT NULL)`);
// The codes the service passes for linhe.health: every node within 临河区.
const tree = new JurisdictionTree(DEMO_JURISDICTIONS);
const codes = tree
  .list()
  .filter((n) => tree.contains('150802000000', n.code))
  .map((n) => n.code);

const server = http.createServer((req, res) => {
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const fail = (e: Error) => reply(500, { message: e.message });
  if (req.method === 'GET') {
    pool
      .query(
        `SELECT *, count(*) OVER () AS total_count FROM ${inbox} WHERE jurisdiction = ANY($1)
          ORDER BY (cardinality(overdue) > 0) DESC, (urgency = 'urgent') DESC, received_at ASC, referral_id
          LIMIT $2 OFFSET $3`,
        [codes, 20, 0],
      )
      .then(({ rows }) => reply(200, { items: rows, total: Number(rows[0]?.total_count ?? 0) }), fail);
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const id = randomUUID();
    pool
      .query(`INSERT INTO ${table} (id, data) VALUES ($1, $2)`, [
        id,
        JSON.parse(Buffer.concat(chunks).toString('utf8')),
      ])
      .then(() => reply(201, { caseId: id }), fail);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
server.on('listening', () => console.log('ready'));
process.on('SIGINT', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
