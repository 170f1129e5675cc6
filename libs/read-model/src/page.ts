import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * A page of rows and the count of all rows, read in one snapshot. TypeORM's `getManyAndCount` runs two
 * statements; a projection committing between them gave a page that lacked a row the count included (the
 * list then claimed three entries and showed two). One REPEATABLE READ, read-only transaction makes both
 * see the same committed state.
 */
export async function manyAndCount<Row extends ObjectLiteral>(
  qb: SelectQueryBuilder<Row>,
): Promise<[Row[], number]> {
  const runner = qb.connection.createQueryRunner();
  try {
    await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await qb.setQueryRunner(runner).getManyAndCount();
    await runner.query('COMMIT');
    return result;
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
