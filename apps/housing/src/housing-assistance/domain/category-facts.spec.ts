import { DomainError } from '@platform/contracts';
import { deciderSpec } from '@platform/testing';
import {
  categoryAfterCivilFact,
  categoryFactDecider,
  householdCategoryOn,
  personCategoryOn,
  resolveCategory,
  type CategoryFactCommand,
  type CategoryFactEvent,
  type CategoryFactState,
} from './category-facts.js';

const spec = deciderSpec<CategoryFactCommand, CategoryFactEvent, CategoryFactState>(categoryFactDecider);
const ID = '150802198001010012';
const fact = (
  factId: string,
  category: CategoryFactCommand['category'],
  effectiveFrom: string,
  idNumber = ID,
): CategoryFactCommand => ({
  type: 'RecordCategoryFact',
  factId,
  idNumber,
  category,
  effectiveFrom,
  civilAffairsHouseholdId: '0190a4c4-0000-7000-8000-000000000001',
  reason: 'granted',
  now: '2026-11-02T02:00:00.000Z',
});
const stateOf = (commands: CategoryFactCommand[]) =>
  commands.reduce(
    (s, c) => categoryFactDecider.decide(c, s).reduce(categoryFactDecider.evolve, s),
    categoryFactDecider.initialState(),
  );
const refusal = (given: CategoryFactCommand[], c: CategoryFactCommand) => {
  try {
    categoryFactDecider.decide(c, stateOf(given));
    return 'accepted';
  } catch (e) {
    return e instanceof DomainError ? `${e.status} ${e.code} ${e.message}` : String(e);
  }
};

describe('civil affairs’ category facts, as housing keeps them', () => {
  it('records each fact once, and only for its person', () => {
    spec
      .given([])
      .when(fact('m-1', 'dibao', '2026-03-01'))
      .then([
        {
          type: 'housing.RecipientCategoryRecorded',
          data: {
            factId: 'm-1',
            idNumber: ID,
            category: 'dibao',
            effectiveFrom: '2026-03-01',
            civilAffairsHouseholdId: '0190a4c4-0000-7000-8000-000000000001',
            reason: 'granted',
            at: '2026-11-02T02:00:00.000Z',
          },
        },
      ]);
    expect(
      categoryFactDecider.decide(
        fact('m-1', 'dibao', '2026-03-01'),
        stateOf([fact('m-1', 'dibao', '2026-03-01')]),
      ),
    ).toEqual([]);
    expect(
      refusal([fact('m-1', 'dibao', '2026-03-01')], fact('m-2', null, '2026-05-01', '150802198001010020')),
    ).toMatch(/^409 PERSON_MISMATCH/);
    expect(refusal([], fact('m-1', 'dibao', '2026-02-30'))).toMatch(/^422 DATE_INVALID effectiveFrom：/);
  });

  it('reads the category in force on a day; a household takes its strongest member’s', () => {
    const person = stateOf([fact('m-1', 'dibao', '2026-03-01'), fact('m-2', null, '2026-09-01')]);
    expect(personCategoryOn(person, '2026-02-28')).toBeNull();
    expect(personCategoryOn(person, '2026-03-01')).toBe('dibao');
    expect(personCategoryOn(person, '2026-09-01')).toBeNull();
    const other = stateOf([fact('m-3', 'special_hardship', '2026-04-01', '150802198001010020')]);
    expect(householdCategoryOn([person, other], '2026-03-15')).toBe('dibao');
    expect(householdCategoryOn([person, other], '2026-04-01')).toBe('special_hardship');
    expect(householdCategoryOn([], '2026-04-01')).toBeNull();
  });

  it('takes dibao and special hardship from civil affairs only; other categories as declared', () => {
    expect(resolveCategory('dibao', 'low_income_margin', '2026-03-01')).toBe('dibao');
    expect(resolveCategory(null, 'low_income_margin', '2026-03-01')).toBe('low_income_margin');
    expect(resolveCategory(null, undefined, '2026-03-01')).toBe('other');
    expect(() => resolveCategory(null, 'dibao', '2026-03-01')).toThrow(
      /category：民政部门无该家庭成员于 2026-03-01 享受低保家庭待遇的记录/,
    );
    expect(categoryAfterCivilFact(null, 'dibao')).toBe('other');
    expect(categoryAfterCivilFact(null, 'low_income_margin')).toBe('low_income_margin');
    expect(categoryAfterCivilFact('special_hardship', 'other')).toBe('special_hardship');
  });
});
