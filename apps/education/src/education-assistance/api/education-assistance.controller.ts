import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RegisterRoutes } from '@platform/assistance-register';
import { Authorizer, CurrentActor, Roles, type AuthenticatedActor } from '@platform/auth';
import {
  DisburseTermCommand,
  GrantAidCommand,
  RecordEnrolmentCommand,
  RecordLeavingCommand,
  type StudentOutcome,
} from '../application/commands/student-aid.js';
import {
  ListEducationRegisterQuery,
  LookupEducationRegisterQuery,
  ListStudentsQuery,
  ViewStudentQuery,
} from '../application/queries/education-queries.js';
import {
  DisburseTermDto,
  GrantAidDto,
  LeavingDto,
  RecordEnrolmentDto,
  EducationRegisterListQueryDto,
  EducationRegisterLookupDto,
  EducationViewQueryDto,
  StudentListQueryDto,
} from './education-assistance.dto.js';
import { studentView } from './education-assistance.view.js';

const OFFICER = 'education_officer' as const;
const READERS = ['education_officer', 'auditor'] as const;

/**
 * Education assistance (教育救助) for the education department: a student's school record, grants by
 * stage and school year, per-term disbursement (none after the student left), and the register of
 * assistance given. Each route builds a command or query and dispatches it.
 */
@ApiTags('education assistance')
@ApiBearerAuth()
@Controller('education')
export class EducationAssistanceController extends RegisterRoutes({
  // 教育救助台账
  permissionPrefix: 'education-register',
  readers: READERS,
  listDto: EducationRegisterListQueryDto,
  lookupDto: EducationRegisterLookupDto,
  listQuery: (actor, q) =>
    new ListEducationRegisterQuery(actor, {
      programme: q.programme,
      schoolYear: q.schoolYear,
      jurisdictionCode: q.jurisdictionCode,
      from: q.from,
      to: q.to,
      page: q.page,
      pageSize: q.pageSize,
    }),
  lookupQuery: (actor, dto) => new LookupEducationRegisterQuery(actor, dto.idNumbers, dto.purpose ?? null),
  listSummary: '教育救助台账：本辖区已发放的资助，按项目、学年、区划、发放日期筛选，分页；身份证号码脱敏',
  lookupSummary:
    '按家庭成员身份证号码查询教育救助台账（资助发放与离校记录，本辖区）；每次查询都记入个人信息查看记录',
}) {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) protected readonly queries: QueryBus,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {
    super();
  }

  private view(o: StudentOutcome, full = false) {
    return studentView(o.studentId, o.state, full, (code) => this.authz.tree.fullName(code), o.grantId);
  }

  @Post('students')
  @Roles('education-students:enrol', OFFICER)
  @ApiOperation({
    summary: '登记学籍（新生，或学段、学校、寄宿情况变动）：学校须在本辖区；同一学生按身份证号码归入同一档案',
  })
  async enrol(@CurrentActor() actor: AuthenticatedActor, @Body() dto: RecordEnrolmentDto) {
    return this.view(
      await this.commands.execute(
        new RecordEnrolmentCommand(
          {
            student: { idNumber: dto.student.idNumber, name: dto.student.name },
            householdHeadIdNumber: dto.householdHeadIdNumber,
            stage: dto.stage,
            school: {
              code: dto.school.code,
              name: dto.school.name,
              jurisdictionCode: dto.school.jurisdictionCode,
            },
            boarder: dto.boarder,
            from: dto.from,
          },
          actor,
        ),
      ),
    );
  }

  @Get('students')
  @Roles('education-students:list', ...READERS)
  @ApiOperation({
    summary:
      '学生资助档案列表：学校在本辖区的学生，按在校、待发放、学生筛选，待发放的在前，分页；姓名与身份证号码脱敏',
  })
  students(@CurrentActor() actor: AuthenticatedActor, @Query() q: StudentListQueryDto) {
    return this.queries.execute(
      new ListStudentsQuery(actor, {
        status: q.status,
        due: q.due,
        student: q.student,
        jurisdictionCode: q.jurisdictionCode,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get('students/:studentId')
  @Roles('education-students:view', ...READERS)
  @ApiOperation({
    summary: '学生资助档案：学籍记录、各学年资助及分学期发放；完整身份证号码，每次查看都记入个人信息查看记录',
  })
  async get(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('studentId') studentId: string,
    @Query() q: EducationViewQueryDto,
  ) {
    return this.view(
      await this.queries.execute(new ViewStudentQuery(actor, studentId, q.purpose ?? null)),
      true,
    );
  }

  @Post('students/:studentId/leaving')
  @HttpCode(200)
  @Roles('education-students:leave', OFFICER)
  @ApiOperation({ summary: '登记离校（毕业、辍学、转出等）：离校后开始的学期不再发放' })
  async leave(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('studentId') studentId: string,
    @Body() dto: LeavingDto,
  ) {
    return this.view(
      await this.commands.execute(
        new RecordLeavingCommand(studentId, actor, {
          leftOn: dto.leftOn,
          reason: dto.reason,
          note: dto.note ?? '',
        }),
      ),
    );
  }

  @Post('students/:studentId/grants')
  @Roles('education-aid:grant', OFFICER)
  @ApiOperation({
    summary:
      '批准教育救助：按学年第一天生效的标准和当时学段核定全年金额，按学期平均发放（大学新生入学资助一次性）',
  })
  async grant(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('studentId') studentId: string,
    @Body() dto: GrantAidDto,
  ) {
    return this.view(
      await this.commands.execute(
        new GrantAidCommand(studentId, actor, {
          programme: dto.programme,
          schoolYear: dto.schoolYear,
          documentNumber: dto.documentNumber,
          universityLocation: dto.universityLocation ?? null,
        }),
      ),
    );
  }

  @Post('students/:studentId/grants/:grantId/disbursements')
  @HttpCode(200)
  @Roles('education-aid:pay', OFFICER)
  @ApiOperation({ summary: '按学期发放：学期开始后、学生当日在校方可发放，每学期一次，记入教育救助台账' })
  async disburse(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('studentId') studentId: string,
    @Param('grantId', ParseUUIDPipe) grantId: string,
    @Body() dto: DisburseTermDto,
  ) {
    return this.view(
      await this.commands.execute(
        new DisburseTermCommand(studentId, actor, grantId, {
          term: dto.term,
          paymentReference: dto.paymentReference,
          paidOn: dto.paidOn,
        }),
      ),
    );
  }
}
