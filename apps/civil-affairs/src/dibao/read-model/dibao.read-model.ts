import { DibaoApplicationEntry, DibaoDocumentCounter } from './dibao.entities.js';
import { DibaoReadModel1764806400000 } from './migrations/1764806400000-dibao-read-model.js';
import { DibaoSuspension1764892800000 } from './migrations/1764892800000-dibao-suspension.js';

/** The dibao capability's read models and the migrations that shape their tables, in order. */
export const dibaoReadModel = {
  entities: [DibaoApplicationEntry, DibaoDocumentCounter],
  migrations: [DibaoReadModel1764806400000, DibaoSuspension1764892800000],
};
