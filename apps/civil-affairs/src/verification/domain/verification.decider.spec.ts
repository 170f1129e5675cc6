import { DomainError } from '@platform/contracts';
import { deciderSpec } from '@platform/testing';
import { parseAnswerFile } from './answer-file.js';
import {
  currentAnswers,
  pendingDepartments,
  verificationDecider,
  type VerificationCommand,
  type VerificationEvent,
  type VerificationState,
} from './verification.decider.js';

const spec = deciderSpec<VerificationCommand, VerificationEvent, VerificationState>(verificationDecider);
const verificationId = '0190a4c4-0000-7000-8000-0000000000f1';
const township = { id: 'u-twp-shuanghe', name: '李春梅', role: 'township_officer' };
const county = { id: 'u-ca-linhe', name: '刘海燕', role: 'county_civil_affairs' };
const health = { id: 'u-health-linhe', name: '陈静', role: 'health_officer' };
const ON_PLATFORM = ['civil-affairs', 'health', 'housing', 'education'];
const members = [
  { name: '王建国', idNumber: '150802195801011234', relationship: 'applicant' },
  { name: '刘秀兰', idNumber: '15080219620304122X', relationship: 'spouse' },
];
const request = (over: Partial<Extract<VerificationCommand, { type: 'RequestVerification' }>> = {}) =>
  ({
    type: 'RequestVerification',
    details: {
      verificationId,
      caseId: null,
      applicationId: null,
      countyCode: '150802000000',
      villageCode: '150802100201',
      members,
      authorisation: { reference: 'SQ-2026-0001', signedOn: '2026-11-26' },
      asOf: '2026-11-27',
    },
    departments: ON_PLATFORM,
    dueAt: '2026-12-04T15:59:59.999Z',
    policy: { 'household-verification': 1 },
    officer: township,
    now: '2026-11-27T02:00:00.000Z',
    ...over,
  }) as VerificationCommand;
const baseDetails = (request() as Extract<VerificationCommand, { type: 'RequestVerification' }>).details;
const nothing = (department: string) => ({
  department,
  result: 'nothing_on_record',
  asOf: '2026-11-27',
  period: { from: '2025-11-28', to: '2026-11-27' },
  statement: '无记录',
});
const answer = (
  department: string,
  body: Record<string, unknown> = nothing(department),
  now = '2026-11-28T02:00:00.000Z',
) => ({ type: 'RecordAnswer', department, answer: body, now }) as VerificationCommand;

function run(commands: VerificationCommand[]): VerificationEvent[] {
  let state = verificationDecider.initialState();
  const out: VerificationEvent[] = [];
  for (const c of commands) {
    const events = verificationDecider.decide(c, state);
    state = events.reduce(verificationDecider.evolve, state);
    out.push(...events);
  }
  return out;
}
const fold = (events: VerificationEvent[]) =>
  events.reduce(verificationDecider.evolve, verificationDecider.initialState());
function refusal(given: VerificationEvent[], command: VerificationCommand): DomainError {
  try {
    verificationDecider.decide(command, fold(given));
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error(`expected ${command.type} to be refused`);
}

describe('household economic verification (家庭经济状况核对)', () => {
  it('asks every department on the platform, names kept in civil affairs, only ID numbers sent', () => {
    spec
      .given([])
      .when(request())
      .thenState((state, events) => {
        expect(events.map((e) => e.type)).toEqual([
          'civil-affairs.VerificationOpened',
          'civil-affairs.VerificationRequested',
        ]);
        expect(JSON.stringify(events[1]!.data)).not.toContain('王建国');
        expect(events[1]!.data).toMatchObject({
          members: [
            { idNumber: '150802195801011234', relationship: 'applicant' },
            { idNumber: '15080219620304122X', relationship: 'spouse' },
          ],
          authorisation: { reference: 'SQ-2026-0001', signedOn: '2026-11-26' },
        });
        expect(pendingDepartments(state)).toEqual(ON_PLATFORM);
      });
  });

  it('refuses without the written authorisation, with bad members, or from a department officer', () => {
    const noAuth = refusal(
      [],
      request({
        details: { ...baseDetails, authorisation: { reference: ' ', signedOn: '2026-11-26' } },
      }),
    );
    expect(noAuth).toMatchObject({
      code: 'AUTHORISATION_REQUIRED',
      status: 422,
      details: { field: 'authorisation' },
    });
    expect(noAuth.message).toContain('核对授权书');
    const later = refusal(
      [],
      request({
        details: {
          ...baseDetails,
          authorisation: { reference: 'SQ-1', signedOn: '2026-11-28' },
        },
      }),
    );
    expect(later.code).toBe('AUTHORISATION_DATE');
    expect(refusal([], request({ details: { ...baseDetails, members: [] } })).code).toBe('MEMBERS_REQUIRED');
    expect(
      refusal([], request({ details: { ...baseDetails, members: [members[0]!, members[0]!] } })).code,
    ).toBe('DUPLICATE_MEMBER');
    expect(
      refusal(
        [],
        request({
          details: { ...baseDetails, members: [{ ...members[0]!, idNumber: '1234' }] },
        }),
      ).code,
    ).toBe('ID_NUMBER_INVALID');
    expect(refusal([], request({ officer: health })).status).toBe(403);
  });

  it('records each answer once; a different later answer is a correction and the history stays', () => {
    const given = run([request(), answer('health')]);
    spec.given(given).when(answer('health')).then([]);
    const corrected = { ...nothing('health'), statement: '更正：无记录（补充核查 2025 年数据）' };
    spec
      .given(given)
      .when(answer('health', corrected, '2026-11-29T02:00:00.000Z'))
      .thenState((state, events) => {
        expect(events[0]!.data).toMatchObject({ department: 'health', correction: true, source: 'platform' });
        expect(state.answers).toHaveLength(2);
        expect(currentAnswers(state).get('health')!.answer).toEqual(corrected);
      });
  });

  it('refuses an answer from a department that was not asked', () => {
    expect(refusal(run([request()]), answer('human-resources')).code).toBe('DEPARTMENT_NOT_ASKED');
  });

  it('marks the departments still silent after the deadline overdue, once, and takes a late answer', () => {
    const given = run([request(), answer('health'), answer('civil-affairs')]);
    expect(
      verificationDecider.decide({ type: 'MarkOverdue', now: '2026-12-04T15:59:59.999Z' }, fold(given)),
    ).toEqual([]);
    const overdue = run([{ type: 'MarkOverdue', now: '2026-12-05T01:00:00.000Z' }]);
    expect(overdue).toEqual([]);
    const marked = verificationDecider.decide(
      { type: 'MarkOverdue', now: '2026-12-05T01:00:00.000Z' },
      fold(given),
    );
    expect(marked.map((e) => (e.data as { department: string }).department)).toEqual([
      'housing',
      'education',
    ]);
    const after = [...given, ...marked];
    spec.given(after).when({ type: 'MarkOverdue', now: '2026-12-06T01:00:00.000Z' }).then([]);
    spec
      .given(after)
      .when(answer('housing', nothing('housing'), '2026-12-06T02:00:00.000Z'))
      .thenState((state) => {
        expect(pendingDepartments(state)).toEqual(['education']);
        expect(state.overdue).toEqual(['housing', 'education']);
      });
  });

  it('imports the answer file of a department not on the platform; not for one on it; not by a township', () => {
    const given = run([request()]);
    const parsed = parseAnswerFile(
      'real-estate',
      '\uFEFF身份证号码,项目,金额（元）,说明\r\n150802195801011234,"城镇住房,一套",,"临河区某小区 80㎡"\r\n',
      members.map((m) => m.idNumber),
    );
    expect(parsed).toMatchObject({
      result: 'on_record',
      items: [
        {
          idNumber: '150802195801011234',
          item: '城镇住房,一套',
          amountYuan: null,
          note: '临河区某小区 80㎡',
        },
      ],
    });
    const imported = {
      type: 'ImportAnswer',
      department: 'real-estate',
      answer: { ...parsed },
      officer: county,
      now: '2026-11-30T02:00:00.000Z',
    } as VerificationCommand;
    spec
      .given(given)
      .when(imported)
      .thenState((state) => {
        expect(currentAnswers(state).get('real-estate')).toMatchObject({ source: 'import', by: county });
        // Not one of the departments that must answer over the platform: nothing pending changes.
        expect(pendingDepartments(state)).toEqual(ON_PLATFORM);
      });
    spec
      .given([...given, ...verificationDecider.decide(imported, fold(given))])
      .when(imported)
      .then([]);
    expect(refusal(given, { ...imported, department: 'health' } as VerificationCommand).code).toBe(
      'DEPARTMENT_ON_PLATFORM',
    );
    expect(refusal(given, { ...imported, officer: township } as VerificationCommand).status).toBe(403);
  });

  it('parses answer files strictly: header, members asked about, amounts, an empty file as nothing on record', () => {
    const ids = members.map((m) => m.idNumber);
    expect(parseAnswerFile('banks', '身份证号码,项目,金额（元）,说明\n', ids)).toMatchObject({
      result: 'nothing_on_record',
      statement: expect.stringContaining('银行'),
    });
    const bad = (text: string) => {
      try {
        parseAnswerFile('banks', text, ids);
      } catch (e) {
        return (e as DomainError).message;
      }
      return 'accepted';
    };
    expect(bad('身份证,项目\n')).toContain('表头');
    expect(bad('身份证号码,项目,金额（元）,说明\n110101199001011234,存款,100,\n')).toBe(
      'file 第 2 行：身份证号码 110101199001011234 不是被核对的家庭成员',
    );
    expect(bad('身份证号码,项目,金额（元）,说明\n150802195801011234,存款,-5,\n')).toContain('第 2 行');
    expect(bad('身份证号码,项目,金额（元）,说明\n150802195801011234,存款,1.234,\n')).toContain('两位小数');
    expect(bad('身份证号码,项目,金额（元）,说明\n150802195801011234,,1,\n')).toContain('项目不能为空');
    expect(bad('身份证号码,项目,金额（元）,说明\n150802195801011234,"存款,1,\n')).toContain('引号未闭合');
    expect(() => parseAnswerFile('weather', '身份证号码,项目,金额（元）,说明\n', ids)).toThrow(/未知的部门/);
    // A lower-case x in the file matches the member's X.
    expect(
      parseAnswerFile('banks', '身份证号码,项目,金额（元）,说明\n15080219620304122x,存款,2000.5,\n', ids)
        .items[0],
    ).toMatchObject({
      idNumber: '15080219620304122X',
      amountYuan: 2000.5,
    });
  });
});
