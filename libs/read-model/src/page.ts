import type { DataSource, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';

/**
 * Reads that must agree with each other (a page and its total), in one REPEATABLE READ, read-only
 * transaction: each statement outside one sees what was committed when it began, so a projection committing
 * between two of them made a list claim three entries and show two.
 */
export async function inOneSnapshot<T>(
  dataSource: DataSource,
  read: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await read(runner);
    await runner.query('COMMIT');
    return result;
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/** TypeORM's `getManyAndCount` (rows, then a count when the page is full) in one snapshot. */
export function manyAndCount<Row extends ObjectLiteral>(
  qb: SelectQueryBuilder<Row>,
): Promise<[Row[], number]> {
  return inOneSnapshot(qb.connection, (runner) => qb.setQueryRunner(runner).getManyAndCount());
}
