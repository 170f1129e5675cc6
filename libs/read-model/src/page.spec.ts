import { dropSchema, testPool, uniqueName } from '@platform/testing';
import { EntitySchema } from 'typeorm';
import { readModelDataSource } from './data-source.js';
import { manyAndCount } from './page.js';

interface Entry {
  id: number;
}
const EntryEntity = new EntitySchema<Entry>({
  name: 'Entry',
  tableName: 'entries',
  columns: { id: { type: 'int', primary: true } },
});

describe('a page and its count', () => {
  const admin = testPool(4);
  const pool = testPool(2);
  const schema = uniqueName('page');
  const dataSource = readModelDataSource({ pool, schema, entities: [EntryEntity] });

  beforeAll(async () => {
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.query(`CREATE TABLE "${schema}".entries (id int PRIMARY KEY)`);
    await admin.query(`INSERT INTO "${schema}".entries VALUES (1), (2)`);
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await dropSchema(admin, schema);
    await Promise.all([admin.end(), pool.end()]);
  });

  // A full first page makes TypeORM count in a second statement. Each statement sleeps 400 ms before
  // reading; a row committed 150 ms into the page's read lands between the two unless both read one snapshot.
  const slowPage = () =>
    dataSource
      .getRepository(EntryEntity)
      .createQueryBuilder('e')
      .where('(SELECT 1 FROM pg_sleep(0.4)) = 1')
      .orderBy('e.id')
      .take(1);

  it('counts the rows it read, even when a row is committed between its two statements', async () => {
    const reading = manyAndCount(slowPage());
    await new Promise((r) => setTimeout(r, 150));
    await admin.query(`INSERT INTO "${schema}".entries VALUES (3)`);
    const [rows, total] = await reading;
    expect([rows.map((r) => r.id), total]).toEqual([[1], 2]);
    expect(await manyAndCount(slowPage())).toEqual([[{ id: 1 }], 3]);
  });

  it('gives its connection back when the read fails', async () => {
    const broken = () => dataSource.getRepository(EntryEntity).createQueryBuilder('e').where('e.id / 0 = 1');
    for (let i = 0; i < 5; i++) await expect(manyAndCount(broken())).rejects.toThrow(/division by zero/);
    expect(pool.totalCount - pool.idleCount).toBe(0);
    const [rows, total] = await manyAndCount(dataSource.getRepository(EntryEntity).createQueryBuilder('e'));
    expect([rows.length, total]).toEqual([3, 3]);
  });
});
